import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleEvent, sampleStop } from '../pipeline/_sample.ts';
import { ocsfEvent, ocsfLines, ocsfStop } from './ocsf.ts';

describe('ocsfStop', () => {
  it('should map a stop to OCSF API Activity with the required attributes', () => {
    const o = ocsfStop(sampleStop()) as Record<string, any>;
    assert.equal(o.class_uid, 6003);
    assert.equal(o.category_uid, 6);
    assert.equal(o.activity_id, 3);
    assert.equal(o.type_uid, 600303);
    assert.equal(o.time, Date.parse('2024-08-01T12:03:30Z'));
    assert.equal(o.status_id, 1);
    assert.equal(o.status, 'Success');
    assert.equal(o.severity_id, 1);
    assert.equal(o.actor.user.uid, 'arn:aws:iam::309303190113:user/christophe');
    assert.equal(o.actor.user.name, 'christophe');
    assert.equal(o.src_endpoint.ip, '251.228.255.218');
    assert.equal(o.http_request.user_agent, 'aws-cli/2.17.32');
    assert.equal(o.api.operation, 'StopInstances');
    assert.equal(o.api.service.name, 'ec2.amazonaws.com');
    assert.equal(o.cloud.provider, 'AWS');
    assert.equal(o.cloud.account.uid, '309303190113');
    assert.equal(o.cloud.region, 'us-east-1');
    assert.deepEqual(o.resources, [{ uid: 'i-0abc', type: 'instance' }]);
    assert.equal(o.metadata.product.name, 'haltwatch');
    assert.ok(o.metadata.product.vendor_name);
    assert.match(o.metadata.version, /^1\.\d+\.\d+$/);
    assert.equal(o.unmapped.action, 'instance.stop');
    assert.deepEqual(o.unmapped.parameters, { force: true });
    assert.deepEqual(o.unmapped.raw, ['trail.json#3']);
  });

  it('should carry a failure code, the session and the invoking service', () => {
    const o = ocsfStop(
      sampleStop({
        outcome: {
          status: 'failure',
          code: 'Client.UnauthorizedOperation',
          message: 'You are not authorized',
        },
        actor: {
          type: 'assumed_role',
          id: 'arn:aws:sts::1:assumed-role/Ops/alice',
          session: { issuer: 'arn:aws:iam::1:role/Ops', mfa: true, accessKeyId: 'ASIAXXX' },
          invokedBy: 'autoscaling.amazonaws.com',
          chain: [],
        },
      }),
    ) as Record<string, any>;
    assert.equal(o.status_id, 2);
    assert.equal(o.status, 'Failure');
    assert.equal(o.status_code, 'Client.UnauthorizedOperation');
    assert.equal(o.status_detail, 'You are not authorized');
    assert.equal(o.actor.session.issuer, 'arn:aws:iam::1:role/Ops');
    assert.equal(o.actor.session.is_mfa, true);
    assert.equal(o.actor.invoked_by, 'autoscaling.amazonaws.com');
  });

  it('should report an accepted operation as Other, not as failed', () => {
    const o = ocsfStop(
      sampleStop({ provider: 'azure', outcome: { status: 'accepted' } }),
    ) as Record<string, any>;
    assert.equal(o.status_id, 99);
    assert.equal(o.status, 'Accepted');
    assert.equal(o.cloud.provider, 'Azure');
    assert.equal(o.api.service.name, 'Microsoft.Compute');
  });
});

describe('ocsfEvent', () => {
  it('should map a termination to Delete and keep the provider unmapped fields', () => {
    const o = ocsfEvent(
      sampleEvent({ action: 'instance.terminate', operation: 'TerminateInstances' }),
    ) as Record<string, any>;
    assert.equal(o.activity_id, 4);
    assert.equal(o.type_uid, 600304);
    assert.equal(o.unmapped.readOnly, false);
    assert.equal(o.unmapped.raw, 'trail.json#3');
  });

  it('should write one parseable JSON object per line, stops first', () => {
    const lines = [...ocsfLines([sampleStop()], [sampleEvent()])];
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.equal(JSON.parse(lines[0]!).unmapped.haltwatch_record, 'stop');
    assert.equal(JSON.parse(lines[1]!).unmapped.haltwatch_record, 'event');
  });
});
