import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { corpusPath } from '../../../test/corpus.ts';
import { UsageError } from '../../errors.ts';
import type { EpochMs } from '../../model/index.ts';
import { runIngest } from './ingest.ts';
import { runStops } from './stops.ts';
import { parseTimelineQuery, runTimeline } from './timeline.ts';
import { runWhoStopped } from './who-stopped.ts';

/* The store commands end to end on a temporary SQLite file, as a user runs them. */

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env: {} }, out: () => out, err: () => err };
}

describe('store commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-cli-'));
  const db = join(dir, 'h.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should ingest, then skip the same files, and say so in the summary', async () => {
    const first = capture();
    assert.equal(
      await runIngest(
        [corpusPath('aws/stratus-red-team'), corpusPath('aws/plaso')],
        { db },
        first.io,
      ),
      0,
    );
    assert.match(first.err(), /files: \d+ new, 0 already ingested/);
    const again = capture();
    assert.equal(await runIngest([corpusPath('aws/stratus-red-team')], { db }, again.io), 0);
    assert.match(again.err(), /files: 0 new, \d+ already ingested/);
    assert.match(again.err(), /events: 0 stored/);
  });

  it('should store the same with --workers 1 as in one thread, and refuse a bad count', async () => {
    const paths = [corpusPath('aws'), corpusPath('gcp'), corpusPath('azure')];
    const summaries: string[] = [];
    for (const workers of ['0', '1']) {
      const c = capture();
      const store = join(dir, `w${workers}.db`);
      assert.equal(await runIngest(paths, { db: store, workers, quiet: false }, c.io), 0);
      const listed = capture();
      await runStops({ db: store, format: 'jsonl' }, listed.io);
      summaries.push(listed.out());
      assert.match(c.err(), /files: \d+ new/);
    }
    assert.ok(summaries[0]!.split('\n').length > 5);
    assert.equal(summaries[1], summaries[0]);
    await assert.rejects(runIngest(paths, { db, workers: 'two' }, capture().io), UsageError);
  });

  it('should refuse to query a store that does not exist rather than make an empty one', async () => {
    const nowhere = join(dir, 'typo.db');
    await assert.rejects(
      runStops({ db: nowhere }, capture().io),
      /No store at ".*typo\.db": ingest/,
    );
    await assert.rejects(runWhoStopped('i-1', { db: nowhere }, capture().io), UsageError);
    assert.equal(existsSync(nowhere), false);
  });

  it('should load a directory export given with --directory', async () => {
    const file = join(dir, 'sp.csv');
    writeFileSync(file, 'id,displayName\n0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0,Backup App\n');
    const c = capture();
    assert.equal(await runIngest([], { db, directory: [file] }, c.io), 0);
    assert.match(c.err(), /1 principals/);
  });

  it('should answer who-stopped in text and exit 1 for an unknown instance', async () => {
    const c = capture();
    assert.equal(await runWhoStopped('i-DDd6c7B0e18F0E35f', { db }, c.io), 0);
    assert.match(
      c.out(),
      /i-DDd6c7B0e18F0E35f: instance\.stop at 2024-08-01T12:03:30\.000Z by christophe/,
    );
    assert.match(c.out(), /from: +251\.228\.255\.218/);
    assert.match(c.out(), /evidence: .*ec2-user-data\.json/);
    const none = capture();
    assert.equal(await runWhoStopped('i-nothing', { db }, none.io), 1);
    assert.match(none.err(), /no stop of "i-nothing"/);
  });

  it('should list stops as JSON lines with the resolved actor, filtered', async () => {
    const c = capture();
    await runStops({ db, format: 'jsonl', until: '2023-01-01' }, c.io);
    const lines = c
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.instance.uid),
      ['i-01234567890123456'],
    );
    assert.equal(lines[0].resolvedActor.origin.name, 'fakeusername');
    await assert.rejects(runStops({ db, outcome: 'maybe' }, capture().io), UsageError);
  });

  it('should print a timeline with raw pointers, windowed', async () => {
    const c = capture();
    await runTimeline(
      { db, instance: 'i-DDd6c7B0e18F0E35f', around: '2024-08-01T12:04:18Z', window: '1s' },
      c.io,
    );
    assert.match(c.out(), /last stopped by: christophe/);
    assert.equal(
      c
        .out()
        .split('\n')
        .filter((l) => l.startsWith('2024')).length,
      2,
    );
    assert.match(c.out(), /ModifyInstanceAttribute .*\[.*ec2-user-data\.json:\d+(#\d+)?\]/);
  });

  it('should refuse a timeline without exactly one subject or with a bad window', () => {
    const now = Date.now() as EpochMs;
    assert.throws(() => parseTimelineQuery({}, now), UsageError);
    assert.throws(() => parseTimelineQuery({ instance: 'a', actor: 'b' }, now), UsageError);
    assert.throws(
      () => parseTimelineQuery({ instance: 'a', around: '2024-01-01', window: 'soon' }, now),
      UsageError,
    );
    assert.deepEqual(
      parseTimelineQuery({ actor: 'a', around: '2024-01-01T00:00:00Z', window: '2h' }, now),
      { actor: 'a', around: Date.parse('2024-01-01T00:00:00Z'), window: 7_200_000 },
    );
  });
});
