import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrapCloudTrail } from './unwrap.ts';

const record = {
  eventVersion: '1.09',
  eventName: 'StopInstances',
  eventSource: 'ec2.amazonaws.com',
  eventID: 'e-1',
};
const lookupLine = {
  EventId: 'e-1',
  EventName: 'StopInstances',
  CloudTrailEvent: JSON.stringify(record),
};

describe('unwrapCloudTrail', () => {
  it('should return the records of a whole S3 delivery file', () => {
    assert.deepEqual(unwrapCloudTrail({ Records: [record, record] }, {}), {
      kind: 'records',
      shape: 'cloudtrail-s3',
      records: [record, record],
    });
    assert.deepEqual(unwrapCloudTrail({ Records: [] }, {})?.shape, 'cloudtrail-s3');
  });

  it('should take one element the framer split out of Records', () => {
    assert.deepEqual(unwrapCloudTrail(record, { container: 'Records' }), {
      kind: 'records',
      shape: 'cloudtrail-s3',
      records: [record],
    });
  });

  it('should take bare records, with Logstash keys, and arrays of them', () => {
    const logstash = { ...record, '@timestamp': '2020-09-14T00:44:23.000Z', '@version': '1' };
    assert.equal(unwrapCloudTrail(logstash, {})?.shape, 'cloudtrail-record');
    assert.deepEqual(unwrapCloudTrail([record, logstash], {}), {
      kind: 'records',
      shape: 'cloudtrail-record',
      records: [record, logstash],
    });
  });

  it('should take lookup-events pages, lines and elements', () => {
    assert.deepEqual(unwrapCloudTrail({ Events: [lookupLine], NextToken: 'x' }, {}), {
      kind: 'records',
      shape: 'lookup-events',
      records: [lookupLine],
    });
    assert.equal(unwrapCloudTrail(lookupLine, {})?.shape, 'lookup-events');
    assert.equal(unwrapCloudTrail(lookupLine, { container: 'Events' })?.shape, 'lookup-events');
  });

  it('should take EventBridge API calls and state changes whole, and ignore other AWS events', () => {
    const call = {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.ec2',
      detail: record,
    };
    assert.deepEqual(unwrapCloudTrail(call, {}), {
      kind: 'records',
      shape: 'eventbridge',
      records: [call],
    });
    const login = {
      'detail-type': 'AWS Console Sign In via CloudTrail',
      source: 'aws.signin',
      detail: {},
    };
    assert.equal(unwrapCloudTrail(login, {})?.shape, 'eventbridge');
    const change = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      detail: {},
    };
    assert.equal(unwrapCloudTrail(change, {})?.shape, 'ec2-state-change');
    const other = {
      'detail-type': 'EC2 Instance Launch Unsuccessful',
      source: 'aws.autoscaling',
      detail: {},
    };
    assert.equal(unwrapCloudTrail(other, {})?.kind, 'ignored');
  });

  it('should recognise a digest file as ignored', () => {
    const digest = {
      digestStartTime: '2025-01-01T00:00:00Z',
      digestEndTime: '2025-01-01T01:00:00Z',
      logFiles: [],
    };
    const result = unwrapCloudTrail(digest, {});
    assert.equal(result?.kind, 'ignored');
    assert.equal(result?.shape, 'cloudtrail-digest');
  });

  it("should not claim other clouds' documents or plain values", () => {
    const gcp = {
      protoPayload: { methodName: 'v1.compute.instances.stop' },
      insertId: 'x',
      logName: 'projects/p/logs/a',
    };
    const azure = {
      records: [{ operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION' }],
    };
    const azureRecord = {
      operationName: 'x',
      resourceId: '/subscriptions/s',
      time: '2025-01-01T00:00:00Z',
    };
    for (const doc of [
      gcp,
      azure,
      azureRecord,
      { Records: [azureRecord] },
      { Events: [{}] },
      [],
      [1],
      null,
      'x',
      3,
    ]) {
      assert.equal(unwrapCloudTrail(doc, {}), undefined, JSON.stringify(doc));
    }
    assert.equal(unwrapCloudTrail(azureRecord, { container: 'records' }), undefined);
  });
});
