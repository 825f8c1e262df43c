import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOperation } from './operations.ts';

describe('classifyOperation', () => {
  it('should map VM stop operations in any letter case, with or without /action', () => {
    for (const name of [
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION',
      'microsoft.compute/virtualmachines/deallocate',
      'Microsoft.Compute/VirtualMachines/Deallocate/Action',
    ]) {
      assert.equal(classifyOperation(name)?.action, 'instance.deallocate', name);
      assert.equal(classifyOperation(name)?.targetType, 'instance', name);
    }
    assert.equal(
      classifyOperation('Microsoft.Compute/virtualMachines/powerOff/action')?.action,
      'instance.power_off',
    );
    assert.equal(
      classifyOperation('MICROSOFT.COMPUTE/VIRTUALMACHINES/POWEROFF/ACTION')?.action,
      'instance.power_off',
    );
  });

  it('should map the other VM operations', () => {
    const expected: Record<string, string> = {
      'Microsoft.Compute/virtualMachines/start/action': 'instance.start',
      'Microsoft.Compute/virtualMachines/restart/action': 'instance.reboot',
      'Microsoft.Compute/virtualMachines/delete': 'instance.terminate',
      'Microsoft.Compute/virtualMachines/write': 'instance.modify',
      'Microsoft.Compute/virtualMachines/runCommand/action': 'instance.modify',
      'Microsoft.Compute/virtualMachines/extensions/write': 'instance.modify',
    };
    for (const [name, action] of Object.entries(expected)) {
      assert.equal(classifyOperation(name)?.action, action, name);
    }
    assert.equal(
      classifyOperation('Microsoft.Compute/virtualMachines/extensions/write')?.resource,
      'parent-vm',
    );
  });

  it('should type scale-set VM and whole scale-set operations as scale_set_instance', () => {
    const vm = classifyOperation(
      'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/deallocate/action',
    );
    assert.deepEqual(vm && [vm.action, vm.targetType], [
      'instance.deallocate',
      'scale_set_instance',
    ]);
    const whole = classifyOperation('MICROSOFT.COMPUTE/VIRTUALMACHINESCALESETS/POWEROFF/ACTION');
    assert.deepEqual(whole && [whole.action, whole.targetType], [
      'instance.power_off',
      'scale_set_instance',
    ]);
    assert.equal(
      classifyOperation(
        'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action',
      )?.action,
      'instance.modify',
    );
  });

  it('should map diagnostic settings and log profiles to logging.change', () => {
    for (const name of [
      'Microsoft.Insights/diagnosticSettings/write',
      'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE',
      'Microsoft.Insights/logProfiles/delete',
      'microsoft.insights/logprofiles/write',
    ]) {
      assert.equal(classifyOperation(name)?.action, 'logging.change', name);
    }
  });

  it('should treat everything else as noise', () => {
    for (const name of [
      'Microsoft.Compute/disks/delete',
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachineScaleSets/write',
      'Microsoft.Compute/virtualMachinesX/deallocate/action',
      'Microsoft.Insights/diagnosticSettings/read',
      'Microsoft.Network/networkInterfaces/write',
      'Microsoft.Compute/virtualMachines/deallocate/action/extra',
      '',
    ]) {
      assert.equal(classifyOperation(name), undefined, name);
    }
  });
});
