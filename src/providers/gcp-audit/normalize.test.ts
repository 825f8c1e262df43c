import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { assembleStops, isoTime, type AuditEvent } from '../../model/index.ts';
import { EMPTY_AUTHENTICATION_GAP } from './actor.ts';
import { normalize } from './normalize.ts';
import { scanTestFile } from './_test-read.ts';

function fixture(name: string): string {
  return fileURLToPath(new URL(`testdata/${name}`, import.meta.url));
}

const at = { path: 'test.jsonl', index: 0 };

function only(events: readonly AuditEvent[], operation: string): AuditEvent[] {
  return events.filter((e) => e.operation === operation);
}

// Fixtures written from Google's documented schemas, for shapes the corpus lacks.
describe('normalize on documented-schema fixtures', () => {
  it('should merge a user stop logged as first and last into one successful stop', () => {
    const { events, issues } = scanTestFile(fixture('user-stop-first-last.jsonl'));
    assert.deepEqual(issues, []);
    assert.deepEqual(
      events.map((e) => [e.phase, e.outcome.status]),
      [
        ['begin', 'in_progress'],
        ['end', 'success'],
      ],
    );
    const stops = assembleStops(events);
    assert.equal(stops.length, 1);
    const stop = stops[0]!;
    assert.equal(stop.action, 'instance.stop');
    assert.equal(stop.outcome.status, 'success');
    assert.equal(stop.instance.uid, '4521938201234567890');
    assert.equal(stop.instance.name, 'web-1');
    assert.deepEqual(stop.scope, {
      account: 'acme-prod',
      region: 'europe-west1',
      zone: 'europe-west1-b',
    });
    assert.equal(stop.actor.type, 'user');
    assert.equal(stop.actor.id, 'alice@example.com');
    assert.equal(stop.source.ip, '203.0.113.7');
    assert.equal(stop.source.clientKind, 'cli');
    assert.equal(isoTime(stop.time), '2024-12-04T09:26:40.512Z');
    assert.equal(isoTime(stop.endTime!), '2024-12-04T09:27:12.044Z');
    assert.equal(stop.correlationId, 'operation-1733304400123-6287a1b2c3d4e-5f6a7b8c-9d0e1f2a');
    assert.deepEqual(stop.parameters, { discardLocalSsd: false });
    assert.deepEqual(stop.eventIds, ['gcp:1a2b3c4d5e6f', 'gcp:7f8e9d0c1b2a']);
  });

  it('should keep fields it does not map in unmapped, by dotted path', () => {
    const { events } = scanTestFile(fixture('user-stop-first-last.jsonl'));
    const first = events[0]!;
    assert.equal(first.unmapped['receiveTimestamp'], '2024-12-04T09:26:40.5121Z');
    assert.equal(first.unmapped['severity'], 'NOTICE');
    assert.ok(Array.isArray(first.unmapped['protoPayload.authorizationInfo']));
    assert.equal((first.unmapped['protoPayload.response'] as { status: string }).status, 'RUNNING');
    assert.equal(first.unmapped['protoPayload.methodName'], undefined);
    assert.equal(first.unmapped['protoPayload.requestMetadata.callerIp'], undefined);
    assert.match(String(first.unmapped['_note']), /documented LogEntry/);
  });

  it('should report a refused stop as a failure with the gRPC code and message', () => {
    const { events, issues } = scanTestFile(fixture('failed-stop.json'));
    assert.deepEqual(issues, []);
    assert.equal(events.length, 1);
    const event = events[0]!;
    assert.equal(event.action, 'instance.stop');
    assert.equal(event.phase, 'single');
    assert.deepEqual(event.outcome, {
      status: 'failure',
      code: 'PERMISSION_DENIED',
      message: 'PERMISSION_DENIED',
    });
    assert.equal(event.actor.id, 'mallory@example.com');
    assert.equal(event.source.clientKind, 'console');
    const stops = assembleStops(events);
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.outcome.status, 'failure');
  });

  it('should keep every delegation hop behind an impersonated service account, nearest first', () => {
    const { events, issues } = scanTestFile(fixture('impersonated-stop.jsonl'));
    assert.deepEqual(issues, []);
    const [token, stop] = events;
    assert.equal(token!.action, 'identity.assume');
    assert.equal(token!.actor.id, 'deployer@acme-ci.iam.gserviceaccount.com');
    assert.deepEqual(token!.targets, [
      {
        type: 'role',
        uid: 'projects/-/serviceAccounts/104857600012345678901',
        name: 'ops-bot@acme-prod.iam.gserviceaccount.com',
      },
    ]);
    assert.equal(stop!.action, 'instance.stop');
    assert.equal(stop!.phase, 'single');
    assert.equal(stop!.outcome.status, 'success');
    assert.equal(stop!.actor.type, 'service_account');
    assert.equal(stop!.actor.id, 'ops-bot@acme-prod.iam.gserviceaccount.com');
    assert.deepEqual(stop!.actor.chain, [
      {
        type: 'service_account',
        id: 'deployer@acme-ci.iam.gserviceaccount.com',
        via: 'impersonation',
      },
      { type: 'user', id: 'carol@example.com', via: 'impersonation' },
    ]);
    assert.equal(stop!.source.ip, '2001:db8::1f');
    assert.equal(stop!.source.clientKind, 'sdk');
    assert.equal(stop!.scope.region, 'us-east1');
  });

  it('should read a gcloud logging read array: suspend, preemption, logging changes, group stops', () => {
    const { events, issues, shapes } = scanTestFile(fixture('gcloud-read.json'));
    assert.deepEqual(shapes, ['gcp-logentry-array']);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      events.map((e) => [e.operation, e.action]),
      [
        ['beta.compute.instances.suspend', 'instance.suspend'],
        ['beta.compute.instances.suspend', 'instance.suspend'],
        ['compute.instances.preempted', 'instance.stop'],
        ['google.logging.v2.ConfigServiceV2.DeleteSink', 'logging.change'],
        // The SetIamPolicy that only adds a binding is no logging change.
        ['SetIamPolicy', 'logging.change'],
        ['v1.compute.instanceGroupManagers.stopInstances', 'instance.stop'],
      ],
    );
    const preempted = events[2]!;
    assert.equal(preempted.cause, 'preemption');
    assert.equal(preempted.actor.type, 'provider_system');
    assert.equal(preempted.actor.id, 'system@google.com');
    assert.equal(preempted.actor.gap, undefined);
    assert.equal(preempted.source.clientKind, 'cloud_service');
    const sink = events[3]!;
    assert.deepEqual(sink.targets, [
      { type: 'log_sink', uid: 'projects/acme-prod/sinks/siem-export', name: 'siem-export' },
    ]);
    const group = events[5]!;
    assert.deepEqual(
      group.targets.map((t) => [t.uid, t.name, t.zone]),
      [
        [
          'projects/acme-prod/zones/europe-west1-b/instances/web-mig-x1z2',
          'web-mig-x1z2',
          'europe-west1-b',
        ],
        [
          'projects/acme-prod/zones/europe-west1-b/instances/web-mig-q9w8',
          'web-mig-q9w8',
          'europe-west1-b',
        ],
      ],
    );
    assert.deepEqual(group.parameters, { forceStop: true });
    assert.equal(group.source.clientKind, 'iac');
    const stops = assembleStops(events);
    assert.deepEqual(
      stops.map((s) => [s.action, s.cause, s.instance.name, s.outcome.status]),
      [
        ['instance.suspend', 'api_call', 'dev-3', 'success'],
        ['instance.stop', 'preemption', 'spot-9', 'success'],
        // Same time: ordered by stop id.
        ['instance.stop', 'api_call', 'web-mig-q9w8', 'in_progress'],
        ['instance.stop', 'api_call', 'web-mig-x1z2', 'in_progress'],
      ],
    );
  });

  it('should decode a Pub/Sub push envelope and keep a non-address callerIp out of source.ip', () => {
    const { events, issues, shapes } = scanTestFile(fixture('pubsub-push.json'));
    assert.deepEqual(shapes, ['pubsub-push']);
    assert.deepEqual(issues, []);
    assert.equal(events.length, 1);
    const event = events[0]!;
    assert.equal(event.action, 'instance.stop');
    assert.equal(event.targets[0]!.uid, '2223334445556667778');
    assert.equal(event.source.ip, undefined);
    assert.equal(event.unmapped['protoPayload.requestMetadata.callerIp'], 'gce-internal-ip');
    assert.equal(event.source.clientKind, 'iac');
    assert.deepEqual(
      (event.unmapped['pubsub'] as { subscription: string }).subscription,
      'projects/acme-sec/subscriptions/haltwatch-push',
    );
  });

  it('should report each unreadable envelope, page and entry with its field, and read the good one', () => {
    const { events, issues } = scanTestFile(fixture('unreadable.jsonl'));
    assert.deepEqual(
      issues.map((i) => [i.at.index, i.type, i.field]),
      [
        [0, 'invalid_field', 'message.data'],
        [1, 'invalid_json', 'message.data'],
        [2, 'wrong_shape', 'message.data'],
        [4, 'wrong_shape', 'entries'],
        [5, 'missing_field', 'protoPayload.methodName'],
        [6, 'missing_field', 'timestamp'],
      ],
    );
    for (const issue of issues) assert.match(issue.message, /^Cannot read /);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.raw.index, 3);
    assert.equal(events[0]!.action, 'instance.stop');
  });
});

describe('normalize edge cases', () => {
  const base = {
    insertId: 'x1',
    timestamp: '2024-01-01T00:00:00Z',
    resource: {
      type: 'gce_instance',
      labels: { instance_id: '42', project_id: 'p', zone: 'us-central1-a' },
    },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      methodName: 'v1.compute.instances.stop',
      resourceName: 'projects/p/zones/us-central1-a/instances/vm',
      authenticationInfo: { principalEmail: 'a@example.com' },
    },
  };

  it('should treat severity ERROR without a status as a failure', () => {
    const [event] = normalize({ ...base, severity: 'ERROR' }, at).events;
    assert.equal(event!.outcome.status, 'failure');
  });

  it('should mark a first entry that already failed as a failure, not in progress', () => {
    const record = {
      ...base,
      operation: { id: 'op', first: true },
      protoPayload: { ...base.protoPayload, status: { code: 5, message: 'NOT_FOUND' } },
    };
    const [event] = normalize(record, at).events;
    assert.equal(event!.phase, 'begin');
    assert.deepEqual(event!.outcome, { status: 'failure', code: 'NOT_FOUND', message: 'NOT_FOUND' });
  });

  it('should compare method names case-sensitively after the version prefix', () => {
    const record = {
      ...base,
      protoPayload: { ...base.protoPayload, methodName: 'v1.compute.instances.Stop' },
    };
    assert.deepEqual(normalize(record, at), { events: [] });
  });

  it('should give no events for entries that are not audit logs', () => {
    assert.deepEqual(
      normalize({ insertId: 'a', logName: 'projects/p/logs/x', textPayload: 'hello' }, at),
      { events: [] },
    );
    const other = {
      ...base,
      protoPayload: { ...base.protoPayload, '@type': 'type.googleapis.com/google.cloud.Other' },
    };
    assert.deepEqual(normalize(other, at), { events: [] });
  });

  it('should fall back to the resource name when the instance id label is empty', () => {
    const record = {
      ...base,
      resource: { type: 'gce_instance', labels: { instance_id: '', project_id: 'p', zone: '' } },
    };
    const [event] = normalize(record, at).events;
    assert.equal(event!.targets[0]!.uid, 'projects/p/zones/us-central1-a/instances/vm');
    assert.equal(event!.scope.zone, 'us-central1-a');
  });

  it('should report a record that is no object', () => {
    const result = normalize('text', at);
    assert.equal(result.issue?.type, 'wrong_shape');
    assert.equal(result.events.length, 0);
  });

  it('should take the project from the log name when the resource has no project label', () => {
    const record = {
      ...base,
      logName: 'projects/from-log/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { type: 'gce_instance', labels: { instance_id: '42' } },
    };
    assert.equal(normalize(record, at).events[0]!.scope.account, 'from-log');
  });

  it('should set the actor gap when authenticationInfo is missing', () => {
    const { authenticationInfo: _dropped, ...payload } = base.protoPayload;
    const [event] = normalize({ ...base, protoPayload: payload }, at).events;
    assert.equal(event!.actor.type, 'unknown');
    assert.equal(event!.actor.gap, EMPTY_AUTHENTICATION_GAP);
  });
});
