import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusDir, corpusPath } from '../../../test/corpus.ts';
import { assembleStops, isStopAction, toEpochMs } from '../../model/index.ts';
import { readDocuments } from './_read-documents.ts';
import { awsCloudTrail } from './index.ts';

// Real events published by others: the reader must take all of them as they are.
function corpusFiles(): string[] {
  const root = join(corpusDir, 'aws');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.jsonl?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function read(relative: string) {
  return readDocuments(awsCloudTrail, corpusPath(relative));
}

describe('aws-cloudtrail on the real corpus', () => {
  it('should read every AWS corpus file with every document recognised and no issue', () => {
    const files = corpusFiles();
    assert.ok(files.length >= 60, `expected the whole corpus, found ${files.length} files`);
    let events = 0;
    for (const file of files) {
      const reading = readDocuments(awsCloudTrail, file);
      assert.deepEqual(reading.unrecognised, [], `${file}: documents not recognised`);
      assert.deepEqual(reading.issues, [], `${file}: issues on well-formed records`);
      events += reading.events.length;
    }
    // 2 plaso + 5 security-datasets + 20 stratus + 1 traildiscover + 1 state change.
    assert.equal(events, 29);
  });

  it('should find the forced stop, user-data change and start of i-DDd6c7B0e18F0E35f', () => {
    const { events } = read('aws/stratus-red-team/aws.execution.ec2-user-data.json');
    const onInstance = events
      .filter((e) => e.targets.some((t) => t.uid === 'i-DDd6c7B0e18F0E35f'))
      .sort((a, b) => a.time - b.time);
    assert.deepEqual(
      onInstance.map((e) => [e.operation, new Date(e.time).toISOString()]),
      [
        ['StopInstances', '2024-08-01T12:03:30.000Z'],
        ['ModifyInstanceAttribute', '2024-08-01T12:04:18.000Z'],
        ['StartInstances', '2024-08-01T12:04:19.000Z'],
      ],
    );
    const [stop, modify, start] = onInstance;
    assert.equal(stop!.action, 'instance.stop');
    assert.deepEqual(stop!.parameters, { force: true });
    assert.deepEqual(stop!.outcome, { status: 'success' });
    assert.equal(stop!.actor.type, 'user');
    assert.equal(stop!.actor.name, 'christophe');
    assert.equal(stop!.actor.account, '309303190113');
    assert.equal(stop!.scope.account, '309303190113');
    assert.equal(stop!.source.ip, '251.228.255.218');
    assert.deepEqual(stop!.targets, [
      {
        type: 'instance',
        uid: 'i-DDd6c7B0e18F0E35f',
        stateBefore: 'running',
        stateAfter: 'stopping',
      },
    ]);
    assert.equal(modify!.action, 'instance.modify');
    assert.equal(modify!.parameters?.attribute, 'userData');
    assert.equal(start!.action, 'instance.start');
    assert.equal((start!.time - stop!.time) / 1000, 49);
    const stops = assembleStops(events);
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.instance.uid, 'i-DDd6c7B0e18F0E35f');
  });

  it('should read the lookup-events stop and terminate with the wrapper time as the same instant', () => {
    const { events, records } = read('aws/plaso/aws_cloudtrail.jsonl');
    const byName = new Map(events.map((e) => [e.operation, e]));
    const stop = byName.get('StopInstances');
    const terminate = byName.get('TerminateInstances');
    assert.ok(stop && terminate);
    assert.equal(stop.action, 'instance.stop');
    assert.equal(new Date(stop.time).toISOString(), '2022-02-07T22:23:03.000Z');
    const wrapper = records.find(
      (r) => (r as { EventName?: string }).EventName === 'StopInstances',
    ) as { EventTime: string };
    assert.equal(wrapper.EventTime, '2022-02-08 09:23:03+11:00');
    assert.equal(toEpochMs(wrapper.EventTime), stop.time);
    assert.equal(stop.actor.name, 'fakeusername');
    assert.equal(stop.actor.account, '012345678901');
    assert.equal(stop.outcome.status, 'success');
    assert.deepEqual(
      stop.targets.map((t) => t.uid),
      ['i-01234567890123456'],
    );
    assert.equal(terminate.action, 'instance.terminate');
    assert.equal(new Date(terminate.time).toISOString(), '2022-02-07T22:23:18.000Z');
    assert.deepEqual(
      terminate.targets.map((t) => t.uid),
      ['i-01234567890123456'],
    );
    // The console agent of these records is the EC2 console.
    assert.equal(stop.source.clientKind, 'console');
  });

  it('should read the TrailDiscover stop as a failure with its error code', () => {
    const { events } = read('aws/traildiscover/StopInstances.json');
    assert.equal(events.length, 1);
    const stop = events[0]!;
    assert.equal(stop.action, 'instance.stop');
    assert.equal(stop.outcome.status, 'failure');
    assert.equal(stop.outcome.code, 'Client.InvalidInstanceID.Malformed');
    assert.match(stop.outcome.message ?? '', /malformed/);
    assert.equal(new Date(stop.time).toISOString(), '2024-08-18T14:46:08.000Z');
    assert.equal(stop.actor.name, 'TrailDiscover');
    assert.equal(stop.actor.account, '192374575148');
    assert.equal(stop.source.ip, '109.196.12.142');
    assert.equal(stop.source.clientKind, 'cli');
    assert.deepEqual(
      stop.targets.map((t) => t.uid),
      ['TrailDiscoverInstanceID'],
    );
    const [evidence] = assembleStops(events);
    assert.equal(evidence?.outcome.code, 'Client.InvalidInstanceID.Malformed');
  });

  it('should read the cloud-custodian state-change notification as neither a stop nor an API call', () => {
    const { events, shapes } = read('aws/cloud-custodian/event-instance-state.json');
    assert.deepEqual(shapes, ['ec2-state-change']);
    assert.equal(events.length, 1);
    const change = events[0]!;
    assert.equal(change.action, 'instance.state_change');
    assert.equal(isStopAction(change.action), false);
    assert.equal(change.cause, 'state_notification');
    assert.equal(change.actor.type, 'provider_system');
    assert.ok(change.actor.gap);
    assert.deepEqual(change.targets, [
      { type: 'instance', uid: 'i-a2d74f12', stateAfter: 'pending' },
    ]);
    assert.deepEqual(assembleStops(events), []);
  });

  it('should keep invokedBy on the autoscaling Root record and take the service as its source', () => {
    const { records } = read('aws/cloud-custodian/event-cloud-trail-run-instances.json');
    // RunInstances is noise for haltwatch; rename it to a mapped call to read its identity.
    const record = { ...(records[0] as Record<string, unknown>), eventName: 'StartInstances' };
    const { events } = awsCloudTrail.normalize(record, { path: 'run-instances.json', index: 0 });
    const event = events[0]!;
    assert.equal(event.actor.type, 'root');
    assert.equal(event.actor.invokedBy, 'autoscaling.amazonaws.com');
    assert.equal(event.actor.account, '619193117841');
    assert.equal(event.source.service, 'autoscaling.amazonaws.com');
    assert.equal(event.source.ip, undefined);
    assert.equal(event.source.clientKind, 'cloud_service');
  });

  it('should read the Logstash lines, keeping @timestamp and @version out of the mapping', () => {
    const { events, shapes } = read(
      'aws/security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.jsonl',
    );
    assert.ok(shapes.every((shape) => shape === 'cloudtrail-record'));
    assert.equal(events.length, 5);
    for (const event of events) {
      assert.equal(event.actor.type, 'service');
      assert.equal(event.actor.invokedBy, 'ec2.amazonaws.com');
      assert.equal(event.unmapped['@version'], '1');
      // These records have no eventTime: the Logstash time stands in and is mapped.
      assert.equal(new Date(event.time).toISOString().slice(0, 10), '2020-09-14');
      assert.equal(event.unmapped['@timestamp'], undefined);
    }
  });
});
