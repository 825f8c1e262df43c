import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '../model/index.ts';
import { backends } from './testing/backends.ts';
import { dumpStore } from './testing/dump-store.ts';
import { makeEvent } from './testing/make-event.ts';
import { openStore } from './open-store.ts';
import { writeCloudTrailFiles } from './bench-ingest.ts';

/*
 * The resumability promise, tested the hard way: a child process ingesting real files is
 * killed with SIGKILL at several points, started again each time, and must end with exactly
 * the rows of one uninterrupted run. Runs against both engines.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./testing/ingest-child.ts', import.meta.url));
const T0 = Date.parse('2024-03-01T00:00:00Z');

function eventsFor(file: string, count: number, offset: number): AuditEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const time = T0 + i * 7_000;
    const session = {
      type: 'assumed_role' as const,
      id: `arn:aws:sts::1:assumed-role/Ops/u${i % 7}`,
      name: `Ops/u${i % 7}`,
      chain: [],
      session: { accessKeyId: `ASIA${i % 40}` },
    };
    switch (i % 10) {
      case 0:
        return makeEvent({
          id: `aws:assume-${i}`,
          action: 'identity.assume',
          operation: 'AssumeRole',
          time,
          issued: { accessKeyId: `ASIA${i % 40}`, sessionArn: session.id },
          path: file,
          index: k,
        });
      case 1:
        // Azure operations whose phases land in different files (begin here, end later).
        return makeEvent({
          id: `azure:${i}:begin`,
          provider: 'azure',
          action: 'instance.deallocate',
          phase: 'begin',
          outcome: { status: 'in_progress' },
          correlationId: `c${i}`,
          time,
          instances: [`vm-${i % 13}`],
          path: file,
          index: k,
        });
      case 2:
        return makeEvent({
          id: `azure:${i - 1}:end`,
          provider: 'azure',
          action: 'instance.deallocate',
          phase: 'end',
          correlationId: `c${i - 1}`,
          time: time + 60_000,
          instances: [`vm-${(i - 1) % 13}`],
          path: file,
          index: k,
        });
      case 3:
        return makeEvent({
          id: `aws:stop-${i}`,
          time,
          actor: session,
          instances: [`i-${i % 17}`, `i-${(i + 1) % 17}`],
          path: file,
          index: k,
        });
      default:
        return makeEvent({
          id: `aws:e-${i}`,
          action: i % 2 ? 'instance.start' : 'instance.modify',
          time,
          actor: session,
          instances: [`i-${i % 17}`],
          path: file,
          index: k,
        });
    }
  });
}

function writeLines(path: string, events: readonly AuditEvent[]): void {
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

/** Runs the child; kills it with SIGKILL once it has reported `killAfter` batches. */
function runChild(
  url: string,
  paths: readonly string[],
  killAfter?: number,
  env: NodeJS.ProcessEnv = {},
): Promise<'killed' | 'done'> {
  return runChildCounting(url, paths, killAfter, env).then((r) => r.ended);
}

/** As `runChild`, also telling how many batches the child reported. */
function runChildCounting(
  url: string,
  paths: readonly string[],
  killAfter?: number,
  env: NodeJS.ProcessEnv = {},
): Promise<{ ended: 'killed' | 'done'; batches: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, ...paths], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let batches = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('batch ') && ++batches === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ ended: 'killed', batches });
      else if (code === 0) resolve({ ended: 'done', batches });
      else reject(new Error(`ingest child exited with ${code}: ${stderr}`));
    });
  });
}

for (const makeBackend of backends) {
  const backend = makeBackend();
  describe(`crash safety on ${backend.name}`, () => {
    let dir = '';
    let paths: string[] = [];
    before(async () => {
      await backend.setup();
      dir = mkdtempSync(join(tmpdir(), 'haltwatch-crash-'));
      const a = eventsFor('a.jsonl', 1200, 0);
      // b overlaps a (an overlapping export) and carries the end phases of a's operations.
      const b = [...a.slice(1000), ...eventsFor('b.jsonl', 1000, 1200)];
      paths = [
        join(dir, 'a.jsonl'),
        join(dir, 'b.jsonl'),
        join(dir, 'a-copy.jsonl'),
        join(dir, 'd.jsonl'),
      ];
      writeLines(paths[0]!, a);
      writeLines(paths[1]!, b);
      writeLines(paths[2]!, a);
      writeLines(paths[3]!, eventsFor('d.jsonl', 600, 2190));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await backend.teardown();
    });

    it('should end with the same store after kill -9 at several points as after one clean run', async () => {
      const clean = await backend.fresh();
      assert.equal(await runChild(clean, paths), 'done');
      const crashed = await backend.fresh();
      // Progress lines: a 5 batches + done, b 5 + done, a-copy done (skipped), d 3 + done.
      // Each restart resumes: the kills land in a, then in b (after a was finished).
      for (const killAfter of [3, 8])
        assert.equal(await runChild(crashed, paths, killAfter), 'killed');
      assert.equal(await runChild(crashed, paths), 'done');
      const [expected, got] = await Promise.all(
        [clean, crashed].map(async (url) => {
          const store = await openStore(url);
          try {
            return { dump: await dumpStore(store), counts: await store.counts() };
          } finally {
            await store.close();
          }
        }),
      );
      assert.ok(
        expected!.counts.events > 2000 && expected!.counts.stops > 400,
        JSON.stringify(expected!.counts),
      );
      assert.equal(expected!.counts.files, 3);
      assert.equal(got!.dump, expected!.dump);
    });

    it('should do the same for CloudTrail files read by the real scanner', async () => {
      const trails = join(dir, 'trails');
      mkdirSync(trails);
      writeCloudTrailFiles(trails, 3000, 1000);
      // The clean run scans in its own thread; the killed and resumed runs on a worker
      // thread that scans ahead while the main thread writes.
      const env = { HALTWATCH_CHILD_SCAN: 'real', HALTWATCH_CHILD_WORKERS: '0' };
      const onWorker = { ...env, HALTWATCH_CHILD_WORKERS: '1' };
      const clean = await backend.fresh();
      const run = await runChildCounting(clean, [trails], undefined, env);
      assert.equal(run.ended, 'done');
      assert.ok(run.batches >= 4, `${run.batches} batches`);
      const crashed = await backend.fresh();
      // The killed run replays the clean run's batches up to the kill: mid-way through.
      const half = Math.ceil(run.batches / 2);
      assert.equal((await runChildCounting(crashed, [trails], half, onWorker)).ended, 'killed');
      assert.equal((await runChildCounting(crashed, [trails], undefined, onWorker)).ended, 'done');
      const dumps = await Promise.all(
        [clean, crashed].map(async (url) => {
          const store = await openStore(url);
          try {
            return { dump: await dumpStore(store), counts: await store.counts() };
          } finally {
            await store.close();
          }
        }),
      );
      assert.match(dumps[0]!.dump, /AssumeRole/);
      // Coverage rows are in the dump; every one of the 3,000 records counted once, on
      // both runs, though the killed run had committed part of a file's counts before.
      assert.match(dumps[0]!.dump, /coverage/);
      assert.equal(dumps[0]!.counts.coverageRecords, 3000);
      assert.equal(dumps[1]!.counts.coverageRecords, 3000);
      assert.equal(dumps[1]!.dump, dumps[0]!.dump);
    });
  });
}
