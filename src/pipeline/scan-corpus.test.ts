import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { corpusDir } from '../../test/corpus.ts';
import type { AuditEvent, InstanceStop } from '../model/index.ts';
import { scanPaths } from './scan.ts';
import type { ScanResult } from './types.ts';

/*
 * End to end over the whole shared corpus of real published events: every file is read
 * without a crash, and the facts its README lists come out of the whole pipeline (framer,
 * providers, stop assembly) with the right instance, time, actor and outcome.
 */

function stopsOf(result: ScanResult, instance: string): InstanceStop[] {
  return result.stops.filter((s) => s.instance.uid === instance);
}

function eventsOf(result: ScanResult, instance: string): AuditEvent[] {
  return result.events.filter((e) => e.targets.some((t) => t.uid === instance));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('scanning the whole corpus', () => {
  let result: ScanResult;
  before(async () => {
    result = await scanPaths([corpusDir], { include: 'all', workers: 0 });
  });

  it('should read every export and skip only the two files that are no export', () => {
    assert.deepEqual(result.stats.issueCounts, { unknown_format: 2 });
    const skipped = result.stats.issues.map((i) => i.at.path.slice(corpusDir.length)).sort();
    assert.deepEqual(skipped, ['README.md', join('gcp', 'iap-desktop', 'entries.origin.tsv')]);
    assert.equal(result.stats.filesFailed, 2);
    assert.ok(result.stats.records > 500, `${result.stats.records} records`);
    for (const cloud of ['aws-cloudtrail/', 'gcp-audit/', 'azure-activity/']) {
      assert.ok(
        Object.keys(result.stats.shapes).some((s) => s.startsWith(cloud)),
        cloud,
      );
    }
  });

  it('should give the same stops on two worker threads', async () => {
    const threaded = await scanPaths([corpusDir], { include: 'all', workers: 2 });
    assert.deepEqual(threaded.stops, result.stops);
    assert.deepEqual(threaded.events, result.events);
  });

  it('should find the forced stop, user-data change and start of the Stratus user-data technique', () => {
    const [stop, ...more] = stopsOf(result, 'i-DDd6c7B0e18F0E35f');
    assert.equal(more.length, 0);
    assert.equal(iso(stop!.time), '2024-08-01T12:03:30.000Z');
    assert.equal(stop!.actor.type, 'user');
    assert.equal(stop!.actor.name, 'christophe');
    assert.equal(stop!.scope.account, '309303190113');
    assert.equal(stop!.source.ip, '251.228.255.218');
    assert.equal(stop!.parameters?.force, true);
    assert.equal(stop!.outcome.status, 'success');
    const after = eventsOf(result, 'i-DDd6c7B0e18F0E35f')
      .filter((e) => e.action !== 'instance.stop')
      .map((e) => `${e.action} ${e.operation} ${iso(e.time)}`);
    assert.deepEqual(after, [
      'instance.modify ModifyInstanceAttribute 2024-08-01T12:04:18.000Z',
      'instance.start StartInstances 2024-08-01T12:04:19.000Z',
    ]);
  });

  it('should read the lookup-events stop at its UTC instant and the termination after it', () => {
    const [stop, ...more] = stopsOf(result, 'i-01234567890123456');
    assert.equal(more.length, 0);
    assert.equal(iso(stop!.time), '2022-02-07T22:23:03.000Z');
    assert.equal(stop!.actor.name, 'fakeusername');
    assert.equal(stop!.scope.account, '012345678901');
    assert.equal(stop!.outcome.status, 'success');
    const terminate = eventsOf(result, 'i-01234567890123456').find(
      (e) => e.action === 'instance.terminate',
    );
    assert.equal(iso(terminate!.time), '2022-02-07T22:23:18.000Z');
  });

  it('should keep the failed TrailDiscover stop with its error code', () => {
    const [stop] = stopsOf(result, 'TrailDiscoverInstanceID');
    assert.equal(iso(stop!.time), '2024-08-18T14:46:08.000Z');
    assert.equal(stop!.outcome.status, 'failure');
    assert.equal(stop!.outcome.code, 'Client.InvalidInstanceID.Malformed');
    assert.equal(stop!.actor.name, 'TrailDiscover');
    assert.equal(stop!.scope.account, '192374575148');
    assert.equal(stop!.source.ip, '109.196.12.142');
  });

  it('should not take the EC2 state-change notification for a stop or an API call', () => {
    assert.equal(stopsOf(result, 'i-a2d74f12').length, 0);
    const [event] = eventsOf(result, 'i-a2d74f12');
    assert.equal(event!.action, 'instance.state_change');
    assert.notEqual(event!.cause, 'api_call');
  });

  it('should make one stop of the v1 and beta copies of a GCP stop, with the missing actor said', () => {
    const stops = stopsOf(result, '2162224123123123213').filter((s) => s.cause === 'api_call');
    assert.equal(stops.length, 1);
    const stop = stops[0]!;
    assert.equal(iso(stop.time), '2020-05-04T08:49:27.470Z');
    assert.equal(stop.scope.account, 'project-1');
    assert.equal(stop.instance.zone ?? stop.scope.zone, 'us-central1-a');
    assert.equal(stop.actor.type, 'unknown');
    assert.match(stop.actor.gap ?? '', /authenticationInfo/);
  });

  it('should find the GCP suspend and the system stops no caller asked for', () => {
    const suspends = stopsOf(result, '1111111245427925863');
    assert.equal(suspends.length, 1);
    assert.equal(suspends[0]!.action, 'instance.suspend');
    assert.equal(iso(suspends[0]!.time), '2020-06-18T07:50:51.862Z');
    const causes = stopsOf(result, '2162224123123123213')
      .map((s) => s.cause)
      .sort();
    assert.deepEqual(causes, [
      'api_call',
      'guest_os',
      'host_error',
      'host_maintenance',
      'preemption',
    ]);
    const preempted = stopsOf(result, '2162224123123123213').find((s) => s.cause === 'preemption')!;
    assert.equal(preempted.actor.id, 'system@google.com');
    // automaticRestart brings the instance back: an event, not a stop.
    assert.ok(
      result.events.some(
        (e) => e.operation.endsWith('automaticRestart') && e.action === 'instance.start',
      ),
    );
  });

  it('should find no stop in the GCP and Azure plaso files but keep the Azure delete and its actor', () => {
    assert.equal(
      result.stops.filter((s) => s.raws.some((r) => r.path.includes('plaso/gcp_'))).length,
      0,
    );
    assert.equal(result.stops.filter((s) => s.provider === 'azure').length, 0);
    const del = result.events.find(
      (e) => e.provider === 'azure' && /virtualMachines\/delete/i.test(e.operation),
    )!;
    assert.equal(iso(del.time), '2022-02-09T03:04:26.492Z');
    assert.match(del.actor.name ?? del.actor.id ?? '', /fakeemail@fakedomain\.com/);
  });

  it('should find exactly the nine stops the corpus holds', () => {
    assert.equal(result.stops.length, 9);
  });

  it('should keep one event per record although other-shapes.jsonl repeats entries.jsonl', () => {
    const ids = result.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(result.stats.events, ids.length);
  });
});
