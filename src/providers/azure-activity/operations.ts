import type { Action, TargetType } from '../../model/index.ts';

/** What haltwatch makes of one Azure operation name. */
export interface OperationInfo {
  readonly action: Action;
  /** Provider namespace in its documented case, whatever case the record used. */
  readonly service: 'Microsoft.Compute' | 'Microsoft.Insights';
  readonly targetType: TargetType;
  /**
   * How the target is found from the record's resource id: `self` is the resource itself,
   * `parent-vm` strips a trailing `/extensions/<name>` so an extension change lands on its VM.
   */
  readonly resource: 'self' | 'parent-vm';
}

/* Verbs under a VM (or a scale-set VM); keys are lower case, without `/action`. */
const VM_VERBS: Readonly<Record<string, Action>> = {
  deallocate: 'instance.deallocate',
  poweroff: 'instance.power_off',
  start: 'instance.start',
  restart: 'instance.reboot',
  delete: 'instance.terminate',
  write: 'instance.modify',
  runcommand: 'instance.modify',
  'extensions/write': 'instance.modify',
};

/*
 * A whole scale set: one record stands for every instance it touches (or those listed in
 * the request body, which the Activity Log does not carry). The target is the scale set
 * itself, typed `scale_set_instance`, so a report says "all instances of this scale set".
 */
const SCALE_SET_VERBS: Readonly<Record<string, Action>> = {
  deallocate: 'instance.deallocate',
  poweroff: 'instance.power_off',
  start: 'instance.start',
  restart: 'instance.reboot',
  delete: 'instance.terminate',
};

const VM = 'microsoft.compute/virtualmachines/';
const SCALE_SET_VM = 'microsoft.compute/virtualmachinescalesets/virtualmachines/';
const SCALE_SET = 'microsoft.compute/virtualmachinescalesets/';
const LOGGING =
  /^microsoft\.insights\/(?:diagnosticsettings\/(?:write|delete)|logprofiles\/[a-z]+)$/;

/**
 * Maps an operation name, in any letter case and with or without a trailing `/action`,
 * to haltwatch's action. Operations that say nothing about instances or logging return
 * `undefined`: they are noise.
 *
 * @example
 * classifyOperation('MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION');
 * // { action: 'instance.deallocate', service: 'Microsoft.Compute', targetType: 'instance', resource: 'self' }
 */
export function classifyOperation(operationName: string): OperationInfo | undefined {
  const name = operationName
    .trim()
    .toLowerCase()
    .replace(/\/action$/, '');
  if (LOGGING.test(name)) {
    return {
      action: 'logging.change',
      service: 'Microsoft.Insights',
      targetType: 'log_sink',
      resource: 'self',
    };
  }
  for (const [prefix, verbs, targetType] of [
    [SCALE_SET_VM, VM_VERBS, 'scale_set_instance'],
    [VM, VM_VERBS, 'instance'],
    [SCALE_SET, SCALE_SET_VERBS, 'scale_set_instance'],
  ] as const) {
    if (!name.startsWith(prefix)) continue;
    const verb = name.slice(prefix.length);
    const action = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
    if (!action) return undefined;
    const resource = verb === 'extensions/write' ? 'parent-vm' : 'self';
    return { action, service: 'Microsoft.Compute', targetType, resource };
  }
  return undefined;
}
