import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assembleStops, isStopAction } from '../../model/index.ts';
import { readDocuments } from './_read-documents.ts';
import { awsCloudTrail } from './index.ts';
import { normalizeCloudTrail } from './normalize.ts';

function fixture(name: string) {
  return readDocuments(awsCloudTrail, fileURLToPath(new URL(`testdata/${name}`, import.meta.url)));
}

const at = { path: 'test.json', index: 0 };

/** A minimal StopInstances record; tests change one thing at a time. */
function stopRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    eventID: 'e-1',
    eventTime: '2025-01-02T03:04:05Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'StopInstances',
    awsRegion: 'eu-west-1',
    recipientAccountId: '111122223333',
    requestID: 'r-1',
    sourceIPAddress: '203.0.113.5',
    userAgent: 'aws-cli/2.15.30',
    userIdentity: {
      type: 'IAMUser',
      userName: 'alice',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
    },
    requestParameters: { instancesSet: { items: [{ instanceId: 'i-1' }] } },
    responseElements: null,
    ...overrides,
  };
}

describe('normalizeCloudTrail on documented shapes', () => {
  it('should split one StopInstances of five instances into five stops, each with its own states', () => {
    const { events, issues, shapes } = fixture('stop-five-instances.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(shapes, ['cloudtrail-s3']);
    // The DescribeInstances beside it is noise.
    assert.equal(events.length, 1);
    const stops = assembleStops(events);
    assert.equal(stops.length, 5);
    assert.deepEqual(
      stops.map((s) => [s.instance.uid, s.instance.stateBefore, s.instance.stateAfter]).sort(),
      [
        ['i-0111111111111111', 'running', 'stopping'],
        ['i-0211111111111111', 'running', 'stopping'],
        ['i-0311111111111111', 'stopped', 'stopped'],
        ['i-0411111111111111', 'running', 'stopping'],
        ['i-0511111111111111', 'pending', 'stopping'],
      ],
    );
    assert.ok(stops.every((s) => s.actor.name === 'alice' && s.source.clientKind === 'cli'));
    assert.equal(new Set(stops.map((s) => s.id)).size, 5);
  });

  it('should read a hibernating stop as instance.hibernate with its parameters', () => {
    const { events, issues } = fixture('hibernate.json');
    assert.deepEqual(issues, []);
    assert.equal(events[0]?.action, 'instance.hibernate');
    assert.deepEqual(events[0]?.parameters, { hibernate: true, force: false });
    assert.equal(events[0]?.source.clientKind, 'sdk');
    assert.equal(assembleStops(events)[0]?.action, 'instance.hibernate');
  });

  it('should read the record inside an EventBridge envelope and keep the envelope id', () => {
    const { events, issues, shapes } = fixture('eventbridge-stop-instances.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(shapes, ['eventbridge']);
    const stop = events[0]!;
    assert.equal(stop.id, 'aws:3f0c8a41-7d2e-4c1b-9a55-0e1d2c3b4a51');
    assert.equal(stop.action, 'instance.stop');
    assert.equal(stop.actor.type, 'assumed_role');
    assert.equal(stop.actor.name, 'OpsAutomation/nightly-shutdown');
    assert.equal(stop.source.service, 'lambda.amazonaws.com');
    assert.equal(stop.source.clientKind, 'cloud_service');
    assert.equal(stop.unmapped['envelope.id'], '6a7e8feb-b491-4cf7-a9f1-bf3703467718');
    assert.equal(stop.unmapped['envelope.detail-type'], undefined);
  });

  it('should read EventBridge lines, the state change being no stop even when it says stopped', () => {
    const { events, issues, shapes } = fixture('eventbridge-lines.jsonl');
    assert.deepEqual(issues, []);
    assert.deepEqual(shapes, ['eventbridge', 'ec2-state-change']);
    const change = events.find((e) => e.action === 'instance.state_change')!;
    assert.equal(change.targets[0]?.stateAfter, 'stopped');
    assert.equal(isStopAction(change.action), false);
    assert.equal(assembleStops(events).length, 1);
  });

  it('should name the SSO user behind an AWSReservedSSO role session', () => {
    const { events, issues } = fixture('sso-session.json');
    assert.deepEqual(issues, []);
    const credentials = events.find((e) => e.operation === 'GetRoleCredentials')!;
    assert.equal(credentials.action, 'identity.assume');
    assert.equal(credentials.actor.name, 'jdoe@example.com');
    assert.equal(credentials.targets[0]?.uid, 'arn:aws:iam::111122223333:role/AdministratorAccess');
    const stop = events.find((e) => e.operation === 'StopInstances')!;
    assert.equal(stop.actor.type, 'assumed_role');
    assert.equal(stop.actor.session?.name, 'jdoe@example.com');
    assert.equal(stop.actor.session?.console, true);
    assert.equal(stop.source.clientKind, 'console');
    assert.deepEqual(
      stop.actor.chain.map((hop) => [hop.type, hop.via, hop.name]),
      [
        ['assumed_role', 'assume_role', 'AWSReservedSSO_AdministratorAccess_0123456789abcdef'],
        ['user', 'sso', 'jdoe@example.com'],
      ],
    );
  });

  it('should link a role chain through the keys each AssumeRole issued', () => {
    const { events, issues } = fixture('role-chain.jsonl');
    assert.deepEqual(issues, []);
    const [first, second, stop] = [...events].sort((a, b) => a.time - b.time);
    assert.equal(first!.actor.name, 'alice');
    assert.deepEqual(first!.issued, {
      accessKeyId: 'ASIAEXAMPLECHAIN001',
      sessionArn: 'arn:aws:sts::111122223333:assumed-role/Deployer/alice-deploy',
      sessionName: 'alice-deploy',
      sourceIdentity: 'alice',
      // "Mar 14, 2025, 11:00:00 AM" is UTC however the machine's zone is set.
      expiresAt: Date.parse('2025-03-14T11:00:00Z'),
    });
    assert.equal(second!.actor.session?.accessKeyId, first!.issued?.accessKeyId);
    assert.equal(second!.issued?.expiresAt, Date.parse('2025-03-14T10:20:00Z'));
    assert.equal(stop!.actor.session?.accessKeyId, second!.issued?.accessKeyId);
    assert.equal(stop!.actor.session?.sourceIdentity, 'alice');
    assert.equal(stop!.actor.session?.issuer, 'arn:aws:iam::111122223333:role/Operator');
    assert.deepEqual(stop!.parameters, { force: true });
    assert.equal(stop!.targets[0]?.uid, 'i-0c0ffee0c0ffee001');
  });

  it('should ignore a digest file without an issue', () => {
    const { events, issues, shapes } = fixture('digest.json');
    assert.deepEqual([events, issues, shapes], [[], [], ['cloudtrail-digest']]);
  });

  it('should read a lookup-events page, taking the time from the record', () => {
    const { events, issues, shapes } = fixture('lookup-events-page.json');
    assert.deepEqual(issues, []);
    assert.deepEqual(shapes, ['lookup-events']);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.time, Date.parse('2025-03-15T17:45:12+01:00'));
    assert.deepEqual(events[0]!.unmapped['lookupEvent.Resources'], [
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-0123abcd4567ef890' },
    ]);
    assert.equal(events[0]!.unmapped['lookupEvent.EventTime'], undefined);
  });
});

describe('normalizeCloudTrail on single records', () => {
  it('should map ids, scope, outcome and correlation from the record', () => {
    const event = normalizeCloudTrail(stopRecord(), at).events[0]!;
    assert.equal(event.id, 'aws:e-1');
    assert.equal(event.eventId, 'e-1');
    assert.equal(event.correlationId, 'r-1');
    assert.deepEqual(event.scope, { account: '111122223333', region: 'eu-west-1' });
    assert.equal(event.service, 'ec2.amazonaws.com');
    assert.deepEqual([event.phase, event.cause], ['single', 'api_call']);
    assert.deepEqual(event.raw, at);
  });

  it('should fall back to the event id when there is no request id', () => {
    const event = normalizeCloudTrail(stopRecord({ requestID: undefined }), at).events[0]!;
    assert.equal(event.correlationId, 'e-1');
  });

  it('should keep every unmapped field once and no mapped one', () => {
    const record = stopRecord({ tlsDetails: { tlsVersion: 'TLSv1.3' }, readOnly: false });
    const { unmapped } = normalizeCloudTrail(record, at).events[0]!;
    assert.deepEqual(unmapped, {
      eventVersion: '1.09',
      readOnly: false,
      tlsDetails: { tlsVersion: 'TLSv1.3' },
    });
  });

  it("should read noise and other services' names as no event", () => {
    assert.deepEqual(normalizeCloudTrail(stopRecord({ eventName: 'DescribeInstances' }), at), {
      events: [],
    });
    assert.deepEqual(
      normalizeCloudTrail(stopRecord({ eventSource: 'opsworks.amazonaws.com' }), at),
      { events: [] },
    );
  });

  it('should report a missing or bad field by name', () => {
    const missing = normalizeCloudTrail(stopRecord({ eventID: undefined }), at);
    assert.deepEqual(
      [missing.events, missing.issue?.type, missing.issue?.field],
      [[], 'missing_field', 'eventID'],
    );
    const badTime = normalizeCloudTrail(stopRecord({ eventTime: 'yesterday' }), at);
    assert.deepEqual([badTime.issue?.type, badTime.issue?.field], ['invalid_field', 'eventTime']);
    const noTime = normalizeCloudTrail(stopRecord({ eventTime: undefined }), at);
    assert.deepEqual([noTime.issue?.type, noTime.issue?.field], ['missing_field', 'eventTime']);
    const badAgent = normalizeCloudTrail(stopRecord({ userAgent: 42 }), at);
    assert.deepEqual([badAgent.issue?.type, badAgent.issue?.field], ['invalid_field', 'userAgent']);
    assert.match(badAgent.issue?.message ?? '', /^Cannot read CloudTrail record: "userAgent"/);
    const notObject = normalizeCloudTrail('StopInstances', at);
    assert.equal(notObject.issue?.type, 'wrong_shape');
  });

  it('should report a CloudTrailEvent string that is not JSON, naming the field', () => {
    const wrapper = {
      EventId: 'e-9',
      EventName: 'StopInstances',
      CloudTrailEvent: '{"eventName": "StopInst',
    };
    const result = normalizeCloudTrail(wrapper, at);
    assert.deepEqual(
      [result.events, result.issue?.type, result.issue?.field],
      [[], 'invalid_json', 'CloudTrailEvent'],
    );
    const notString = normalizeCloudTrail({ ...wrapper, CloudTrailEvent: 7 }, at);
    assert.deepEqual(
      [notString.issue?.type, notString.issue?.field],
      ['invalid_field', 'CloudTrailEvent'],
    );
    // A noise event name is skipped before its string is even parsed.
    assert.deepEqual(normalizeCloudTrail({ ...wrapper, EventName: 'DescribeInstances' }, at), {
      events: [],
    });
  });

  it('should read ModifyInstanceMetadataOptions with the options set', () => {
    const record = stopRecord({
      eventName: 'ModifyInstanceMetadataOptions',
      requestParameters: {
        ModifyInstanceMetadataOptionsRequest: { InstanceId: 'i-7', HttpTokens: 'optional' },
      },
    });
    const event = normalizeCloudTrail(record, at).events[0]!;
    assert.equal(event.action, 'instance.modify');
    assert.deepEqual(event.targets, [{ type: 'instance', uid: 'i-7' }]);
    assert.deepEqual(event.parameters, { attribute: 'metadataOptions', HttpTokens: 'optional' });
  });

  it('should read ModifyInstanceAttribute given as attribute and value', () => {
    const record = stopRecord({
      eventName: 'ModifyInstanceAttribute',
      requestParameters: { instanceId: 'i-8', attribute: 'instanceType', value: 't3.large' },
    });
    const event = normalizeCloudTrail(record, at).events[0]!;
    assert.deepEqual(event.parameters, { attribute: 'instanceType' });
    assert.equal(event.unmapped['requestParameters.value'], 't3.large');
  });

  it('should read a failed console login from its response', () => {
    const record = stopRecord({
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      errorMessage: 'Failed authentication',
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' },
    });
    const event = normalizeCloudTrail(record, at).events[0]!;
    assert.equal(event.action, 'identity.login');
    assert.deepEqual(event.outcome, { status: 'failure', message: 'Failed authentication' });
    assert.deepEqual(event.parameters, { mfaUsed: false });
    assert.equal(event.unmapped['additionalEventData.LoginTo'], 'https://console.aws.amazon.com/');
  });

  it('should read trail changes with the trail as target', () => {
    for (const [eventName, key] of [
      ['StopLogging', 'name'],
      ['PutEventSelectors', 'trailName'],
      ['DeleteEventDataStore', 'eventDataStore'],
    ]) {
      const record = stopRecord({
        eventName,
        eventSource: 'cloudtrail.amazonaws.com',
        requestParameters: { [key!]: 'trail-1' },
      });
      const event = normalizeCloudTrail(record, at).events[0]!;
      assert.equal(event.action, 'logging.change');
      assert.deepEqual(event.targets, [{ type: 'trail', uid: 'trail-1' }]);
    }
  });
});
