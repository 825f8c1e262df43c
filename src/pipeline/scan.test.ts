import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  azureDeallocate,
  cloudTrailNoise,
  cloudTrailStop,
  gcpStopEntry,
} from './_fixture-records.ts';
import { defaultWorkers, scanPaths } from './scan.ts';
import type { ScanProgress, ScanResult } from './types.ts';

/*
 * Pipeline tests over small trees laid out the way the clouds deliver exports: an S3
 * CloudTrail tree of gzipped `{"Records":[...]}` files, a GCS sink folder of LogEntry
 * lines, and an Azure `insights-activity-logs/resourceId=/.../PT1H.json` tree.
 */

const root = mkdtempSync(join(tmpdir(), 'haltwatch-scan-'));

function put(path: string, data: string | Buffer): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, data);
  return full;
}

/** One StopInstances call on five instances: five stops, each with its own states. */
function fiveInstanceStop(): Record<string, unknown> {
  const ids = [1, 2, 3, 4, 5].map((n) => `i-0fffffffffffff00${n}`);
  return {
    ...cloudTrailStop(7),
    requestParameters: { instancesSet: { items: ids.map((instanceId) => ({ instanceId })) } },
    responseElements: {
      requestId: 'req-7',
      instancesSet: {
        items: ids.map((instanceId) => ({
          instanceId,
          currentState: { code: 64, name: 'stopping' },
          previousState: { code: 16, name: 'running' },
        })),
      },
    },
  };
}

const awsDir = 'good/AWSLogs/111122223333/CloudTrail/us-east-1/2024/08/01';
const s3File = JSON.stringify({
  Records: [cloudTrailNoise(1), cloudTrailStop(2), cloudTrailNoise(3)],
});
put(`${awsDir}/111122223333_CloudTrail_us-east-1_20240801T1205Z_a.json.gz`, gzipSync(s3File));
put(
  `${awsDir}/111122223333_CloudTrail_us-east-1_20240801T1210Z_b.json.gz`,
  gzipSync(JSON.stringify({ Records: [fiveInstanceStop(), cloudTrailNoise(4)] })),
);
put(
  'good/gcs-sink/cloudaudit.googleapis.com/activity/2024/08/02/09:00:00_09:59:59_S0.json',
  `${JSON.stringify(gcpStopEntry())}\n`,
);
put(
  'good/insights-activity-logs/resourceId=/SUBSCRIPTIONS/00000000-1111-2222-3333-444444444444/RESOURCEGROUPS/RG-PROD/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-DB-1/y=2024/m=08/d=03/h=10/m=00/PT1H.json',
  `${JSON.stringify(azureDeallocate('Started'))}\n${JSON.stringify(azureDeallocate('Succeeded'))}\n`,
);
const start = {
  ...cloudTrailStop(8),
  eventName: 'StartInstances',
  eventID: 'start-8',
  requestID: 'start-8',
};
put('good/lines/extra.jsonl', `${JSON.stringify(start)}\n`);

const good = join(root, 'good');

function comparable(result: ScanResult): unknown {
  const { elapsedMs: _elapsed, ...stats } = result.stats;
  return { events: result.events, stops: result.stops, stats };
}

describe('scanPaths', () => {
  it('should find every stop of the three clouds in their export trees', async () => {
    const result = await scanPaths([good], { include: 'stops', workers: 0 });
    const found = result.stops.map((s) => `${s.provider} ${s.instance.uid} ${s.outcome.status}`);
    assert.deepEqual(found.map((f) => f.toLowerCase()).sort(), [
      'aws i-00000000000000002 success',
      'aws i-0fffffffffffff001 success',
      'aws i-0fffffffffffff002 success',
      'aws i-0fffffffffffff003 success',
      'aws i-0fffffffffffff004 success',
      'aws i-0fffffffffffff005 success',
      'azure /subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/rg-prod/providers/microsoft.compute/virtualmachines/vm-db-1 success',
      'gcp 4444444444444444444 in_progress',
    ]);
    assert.equal(result.stats.files, 5);
    assert.equal(result.stats.filesFailed, 0);
    assert.equal(result.stats.records, 3 + 2 + 1 + 2 + 1);
    assert.deepEqual(result.stats.issueCounts, {});
    assert.equal(result.stats.stops, 8);
    // Only stop events are kept without `all`: the StartInstances line is read, not returned.
    assert.ok(
      result.events.every((e) => e.action.startsWith('instance.') && e.action !== 'instance.start'),
    );
    const azure = result.stops.find((s) => s.provider === 'azure')!;
    assert.equal(azure.action, 'instance.deallocate');
    assert.equal(azure.eventIds.length, 2, 'Started and Succeeded are one stop');
    assert.match(azure.actor.name ?? azure.actor.id ?? '', /dave/i);
    const gcp = result.stops.find((s) => s.provider === 'gcp')!;
    assert.equal(gcp.actor.id ?? gcp.actor.name, 'carol@example.com');
  });

  it('should give the same result on 0, 1 and 2 worker threads', async () => {
    const inline = comparable(await scanPaths([good], { include: 'all', workers: 0 }));
    const one = comparable(await scanPaths([good], { include: 'all', workers: 1 }));
    const two = comparable(await scanPaths([good], { include: 'all', workers: 2 }));
    assert.deepEqual(one, inline);
    assert.deepEqual(two, inline);
  });

  it('should keep related events with include all', async () => {
    const result = await scanPaths([good], { include: 'all', workers: 0 });
    assert.ok(
      result.events.some(
        (e) => e.action === 'instance.start' && e.targets[0]?.uid === 'i-00000000000000008',
      ),
    );
    assert.equal(result.stops.length, 8);
  });

  it('should count the same export read twice once', async () => {
    const twice = put('twice/copy.json', s3File);
    const again = put('twice/copy-again.json', s3File);
    const result = await scanPaths([twice, again], { include: 'stops', workers: 0 });
    assert.equal(result.stats.records, 6);
    assert.equal(result.stops.length, 1);
    assert.equal(result.stops[0]!.raws.length, 1);
    assert.equal(result.events.length, 1, 'the stop event read twice is kept once');
    assert.equal(result.stats.events, 1);
  });

  it('should count bad files and go on with the good ones', async () => {
    const gz = gzipSync(s3File);
    put('bad/truncated.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    put(
      'bad/invalid.json',
      `${JSON.stringify(cloudTrailStop(3))}\n{"eventName": "StopInstances", oops\n`,
    );
    put('bad/binary.bin', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x7f]));
    put('bad/empty.json', '');
    put('bad/other.json', '{"hello": "world"}\n');
    const missing = join(root, 'bad', 'does-not-exist');
    const result = await scanPaths([good, join(root, 'bad'), missing], {
      include: 'stops',
      workers: 0,
    });
    const counts = result.stats.issueCounts;
    for (const type of [
      'truncated_gzip',
      'invalid_json',
      'binary_data',
      'empty_file',
      'unknown_format',
      'unreadable_file',
    ]) {
      assert.ok((counts[type] ?? 0) >= 1, `no ${type} in ${JSON.stringify(counts)}`);
    }
    for (const issue of result.stats.issues)
      assert.ok(issue.at.path.startsWith(root), issue.message);
    // The good tree and the stop before the bad line are still read.
    assert.equal(result.stops.filter((s) => s.instance.uid === 'i-00000000000000003').length, 1);
    assert.ok(result.stops.length >= 8);
    assert.equal(result.stats.files, 5 + 5 + 1);
    // binary, empty, other and the missing path hold nothing; the others had records.
    assert.equal(result.stats.filesFailed, 4);
  });

  it('should keep the first few issues of a kind with their locations and count them all', async () => {
    const lines = Array.from({ length: 12 }, (_, n) =>
      n === 0 ? JSON.stringify(cloudTrailStop(1)) : `{"StopInstances": broken ${n}`,
    );
    const file = put('many/broken.jsonl', `${lines.join('\n')}\n`);
    const result = await scanPaths([file], { include: 'stops', workers: 0 });
    assert.equal(result.stats.issueCounts.invalid_json, 11);
    const kept = result.stats.issues.filter((i) => i.type === 'invalid_json');
    assert.equal(kept.length, 5);
    assert.deepEqual(
      kept.map((i) => i.at.line),
      [2, 3, 4, 5, 6],
    );
  });

  it('should report progress up to every file and byte', async () => {
    const seen: ScanProgress[] = [];
    await scanPaths([good], { include: 'stops', workers: 0, onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1]!;
    assert.equal(last.filesDone, 5);
    assert.equal(last.filesTotal, 5);
    assert.equal(last.bytesRead, last.bytesTotal);
    // Stop events so far, before phases merge and calls split: 1 + 1 (five instances) + 1 + 2.
    assert.equal(last.stops, 5);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.bytesRead >= seen[i - 1]!.bytesRead);
  });
});

describe('defaultWorkers', () => {
  it('should scan one file or a small input in this thread', () => {
    assert.equal(defaultWorkers([{ path: 'a', size: 10 ** 9 }]), 0);
    assert.equal(
      defaultWorkers([
        { path: 'a', size: 10 },
        { path: 'b', size: 10 },
      ]),
      0,
    );
    const big = defaultWorkers([
      { path: 'a', size: 10 ** 9 },
      { path: 'b', size: 10 ** 9 },
    ]);
    assert.ok(big >= 1 && big <= 2);
    // Gzip'd files count for what they inflate to: 40 MB of .gz is about 480 MB of JSON.
    const gz = (n: number) => ({ path: `f${n}.json.gz`, size: 20 * 1024 * 1024 });
    assert.equal(defaultWorkers([gz(1), gz(2)]), big);
    assert.equal(
      defaultWorkers([
        { path: 'f1.json', size: 20 * 1024 * 1024 },
        { path: 'f2.json', size: 20 * 1024 * 1024 },
      ]),
      0,
    );
  });
});
