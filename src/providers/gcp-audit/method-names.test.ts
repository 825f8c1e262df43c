import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allNeedles, meaningOf, stopNeedles, stripVersion } from './method-names.ts';

describe('meaningOf', () => {
  it('should strip v1, beta and alpha prefixes and nothing else', () => {
    assert.equal(stripVersion('v1.compute.instances.stop'), 'compute.instances.stop');
    assert.equal(stripVersion('beta.compute.instances.stop'), 'compute.instances.stop');
    assert.equal(stripVersion('alpha.compute.instances.suspend'), 'compute.instances.suspend');
    assert.equal(stripVersion('v2.compute.instances.stop'), 'v2.compute.instances.stop');
    assert.equal(stripVersion('compute.instances.stop'), 'compute.instances.stop');
  });

  it('should map the compute methods to their actions', () => {
    const cases: Array<[string, string, string]> = [
      ['v1.compute.instances.stop', 'instance.stop', 'api_call'],
      ['beta.compute.instances.suspend', 'instance.suspend', 'api_call'],
      ['v1.compute.instances.start', 'instance.start', 'api_call'],
      ['v1.compute.instances.resume', 'instance.resume', 'api_call'],
      ['v1.compute.instances.reset', 'instance.reboot', 'api_call'],
      ['v1.compute.instances.delete', 'instance.terminate', 'api_call'],
      ['v1.compute.instances.setMetadata', 'instance.modify', 'api_call'],
      ['v1.compute.instances.setServiceAccount', 'instance.modify', 'api_call'],
      ['v1.compute.instances.updateShieldedInstanceConfig', 'instance.modify', 'api_call'],
      ['compute.instances.guestTerminate', 'instance.stop', 'guest_os'],
      ['compute.instances.preempted', 'instance.stop', 'preemption'],
      ['compute.instances.hostError', 'instance.stop', 'host_error'],
      ['compute.instances.terminateOnHostMaintenance', 'instance.stop', 'host_maintenance'],
      ['compute.instances.automaticRestart', 'instance.start', 'system_restart'],
      ['v1.compute.instanceGroupManagers.stopInstances', 'instance.stop', 'api_call'],
      ['beta.compute.regionInstanceGroupManagers.suspendInstances', 'instance.suspend', 'api_call'],
      ['google.logging.v2.ConfigServiceV2.DeleteSink', 'logging.change', 'api_call'],
      ['google.logging.v2.ConfigServiceV2.UpdateCmekSettings', 'logging.change', 'api_call'],
    ];
    for (const [methodName, action, cause] of cases) {
      const meaning = meaningOf({ methodName });
      assert.equal(meaning?.action, action, methodName);
      assert.equal(meaning?.cause, cause, methodName);
    }
  });

  it('should ignore reads, inserts, other letter cases and unknown methods', () => {
    for (const methodName of [
      'v1.compute.instances.insert',
      'v1.compute.instances.get',
      'v1.compute.instances.STOP',
      'compute.instances.Stop',
      'v1.compute.instances.unknown',
      'compute.instances.migrateOnHostMaintenance',
      'google.logging.v2.ConfigServiceV2.ListSinks',
      'SetIamPolicy',
    ]) {
      assert.equal(meaningOf({ methodName }), undefined, methodName);
    }
  });

  it('should name a system event by its producer when the method says unknown', () => {
    const meaning = meaningOf({
      methodName: 'compute.instances.unknown',
      producer: 'compute.instances.preempted',
    });
    assert.equal(meaning?.cause, 'preemption');
    // A producer that is no system event does not make an unknown method a stop.
    assert.equal(
      meaningOf({ methodName: 'compute.instances.unknown', producer: 'compute.instances.stop' }),
      undefined,
    );
  });

  it('should treat SetIamPolicy as a logging change only with audit config deltas', () => {
    assert.equal(
      meaningOf({ methodName: 'SetIamPolicy', hasAuditConfigDeltas: true })?.action,
      'logging.change',
    );
    assert.equal(meaningOf({ methodName: 'SetIamPolicy', hasAuditConfigDeltas: false }), undefined);
  });

  it('should read service account credential minting as impersonation', () => {
    for (const methodName of [
      'GenerateAccessToken',
      'SignJwt',
      'GenerateIdToken',
      'google.iam.credentials.v1.IAMCredentials.SignBlob',
    ]) {
      assert.equal(
        meaningOf({ methodName, serviceName: 'iamcredentials.googleapis.com' })?.action,
        'identity.assume',
        methodName,
      );
    }
    assert.equal(
      meaningOf({ methodName: 'other.Service.SignJwt', serviceName: 'other.googleapis.com' }),
      undefined,
    );
  });
});

describe('needles', () => {
  it('should never end with a quote', () => {
    for (const needle of [...stopNeedles, ...allNeedles]) assert.ok(!needle.endsWith('"'), needle);
  });

  it('should put every stop needle among all needles', () => {
    for (const needle of stopNeedles) assert.ok(allNeedles.includes(needle), needle);
  });

  it('should find every method that yields a stop, and every method that yields an event', () => {
    const stops = [
      'beta.compute.instances.stop',
      'alpha.compute.instances.suspend',
      'compute.instances.guestTerminate',
      'compute.instances.preempted',
      'compute.instances.hostError',
      'compute.instances.terminateOnHostMaintenance',
      'v1.compute.instanceGroupManagers.stopInstances',
      'v1.compute.regionInstanceGroupManagers.suspendInstances',
    ];
    for (const method of stops) {
      assert.ok(meaningOf({ methodName: method }), method);
      assert.ok(
        stopNeedles.some((n) => `"methodName":"${method}"`.includes(n)),
        method,
      );
    }
    const others = [
      'v1.compute.instances.reset',
      'GenerateAccessToken',
      'google.logging.v2.ConfigServiceV2.DeleteExclusion',
    ];
    for (const method of others)
      assert.ok(
        allNeedles.some((n) => method.includes(n)),
        method,
      );
  });

  it('should let Pub/Sub envelopes through, whose entry is base64', () => {
    const push = '{"message":{"data":"eyJ9","messageId":"1"},"subscription":"s"}';
    const pull = '{"ackId":"a","message":{"data":"eyJ9","message_id":"1"}}';
    assert.ok(stopNeedles.some((n) => push.includes(n)));
    assert.ok(stopNeedles.some((n) => pull.includes(n)));
  });
});
