import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { corpusPath } from '../../../test/corpus.ts';
import { UsageError } from '../../errors.ts';
import type { EpochMs } from '../../model/index.ts';
import type { CoverageCount } from '../../pipeline/types.ts';
import { openStore } from '../../store/open-store.ts';
import { backends } from '../../store/testing/backends.ts';
import { coverageCommand, parseMinGap, runCoverage, spanText } from './coverage.ts';
import { commands } from './index.ts';
import { runIngest } from './ingest.ts';

/* `haltwatch coverage` as a user runs it, on SQLite and on PostgreSQL. */

const HOUR = 3_600_000;
const H0 = Date.UTC(2024, 7, 1, 0);
const h = (n: number): EpochMs => (H0 + n * HOUR) as EpochMs;

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env: {} }, out: () => out, err: () => err };
}

function count(hour: number, records: number, account = '111111111111'): CoverageCount {
  return { provider: 'aws', account, region: 'us-east-1', hour: hour as EpochMs, records };
}

/** One store: hours 0-3, then nothing for 5 hours, 9-10, nothing for 1 hour, 12; 4 of unknown time. */
async function seed(url: string): Promise<void> {
  const store = await openStore(url);
  try {
    await store.beginFile({ hash: 'f', path: 'f.json', size: 1 });
    await store.putBatch('f', {
      events: [],
      coverage: [
        ...[0, 1, 2, 3, 9, 10, 12].map((n) => count(h(n), 10)),
        count(0, 4),
        // A hostile account name: must reach the terminal inert.
        { provider: 'gcp', account: 'evil\u001b[2Jproj', region: 'global', hour: h(0), records: 1 },
      ],
    });
    await store.completeFile('f');
  } finally {
    await store.close();
  }
}

for (const makeBackend of backends) {
  const backend = makeBackend();
  describe(`haltwatch coverage on ${backend.name}`, () => {
    let db = '';
    before(async () => {
      await backend.setup();
      db = await backend.fresh();
      await seed(db);
    });
    after(() => backend.teardown());

    it('should print the table and list only gaps of at least --min-gap', async () => {
      const c = capture();
      assert.equal(await runCoverage({ db, minGap: '2h' }, c.io), 0);
      const out = c.out();
      assert.match(
        out,
        /AWS 111111111111 +us-east-1 +2024-08-01T00:00Z +2024-08-01T12:00Z +70 +7\/13 +4 +5h\n/,
      );
      assert.match(out, /1 gap of at least 2h:\n/);
      assert.match(
        out,
        /AWS 111111111111 us-east-1 +2024-08-01T04:00Z \.\. 2024-08-01T09:00Z +5h without records/,
      );
      // The one-hour hole (11:00) is below --min-gap.
      assert.doesNotMatch(out, /T11:00Z/);
      assert.match(out, /GCP evil\\u001b\[2Jproj/);
      assert.doesNotMatch(out, /\u001b/);
      const fine = capture();
      await runCoverage({ db, minGap: '1h' }, fine.io);
      assert.match(
        fine.out(),
        /2 gaps of at least 1h:\n.*5h without.*\n.*T11:00Z \.\. .*T12:00Z +1h without/,
      );
    });

    it('should print JSON with ISO hours, filtered by provider and account', async () => {
      const c = capture();
      await runCoverage({ db, json: true, provider: 'aws', account: '111111111111' }, c.io);
      const doc = JSON.parse(c.out());
      assert.equal(doc.minGapHours, 2);
      assert.deepEqual(doc.scopes, [
        {
          provider: 'aws',
          account: '111111111111',
          region: 'us-east-1',
          firstHour: '2024-08-01T00:00:00.000Z',
          lastHour: '2024-08-01T12:00:00.000Z',
          records: 70,
          hoursCovered: 7,
          unknownTimeRecords: 4,
          gaps: [{ start: '2024-08-01T04:00:00.000Z', end: '2024-08-01T09:00:00.000Z', hours: 5 }],
        },
      ]);
      const none = capture();
      await runCoverage({ db, json: true, provider: 'azure' }, none.io);
      assert.deepEqual(JSON.parse(none.out()).scopes, []);
    });

    it('should keep only hours in --since/--until', async () => {
      const c = capture();
      await runCoverage(
        {
          db,
          json: true,
          provider: 'aws',
          since: '2024-08-01T08:00:00Z',
          until: '2024-08-01T10:00:00Z',
        },
        c.io,
      );
      const [scope] = JSON.parse(c.out()).scopes;
      assert.equal(scope.firstHour, '2024-08-01T09:00:00.000Z');
      assert.equal(scope.lastHour, '2024-08-01T10:00:00.000Z');
      assert.equal(scope.records, 20);
      assert.deepEqual(scope.gaps, []);
    });
  });
}

describe('haltwatch coverage options', () => {
  it('should read --min-gap durations and refuse anything else', () => {
    assert.equal(parseMinGap('2h'), 2 * HOUR);
    assert.equal(parseMinGap('90m'), 1.5 * HOUR);
    assert.equal(parseMinGap('1D'), 24 * HOUR);
    for (const bad of ['0h', '2', 'h', '-1h', '2 hours', '']) {
      assert.throws(() => parseMinGap(bad), UsageError, bad);
    }
    assert.equal(spanText(5 * HOUR), '5h');
    assert.equal(spanText(51 * HOUR), '2d 3h');
    assert.equal(spanText(48 * HOUR), '2d');
  });

  it('should refuse a window that ends before it starts, and an unknown provider', async () => {
    const c = capture();
    await assert.rejects(
      runCoverage({ db: ':memory:', since: '2024-08-02', until: '2024-08-01' }, c.io),
      UsageError,
    );
    await assert.rejects(runCoverage({ db: ':memory:', provider: 'ibm' }, c.io), UsageError);
  });

  it('should be registered and pass its options by these names', async () => {
    assert.ok(commands.some((make) => make().name() === 'coverage'));
    let seen: unknown;
    await coverageCommand()
      .exitOverride()
      .action((options) => {
        seen = options;
      })
      .parseAsync(['--db', 'x.db', '--min-gap', '6h', '--json', '--account', '123'], {
        from: 'user',
      });
    assert.deepEqual(seen, { db: 'x.db', minGap: '6h', json: true, account: '123' });
  });

  it('should count every record of the corpus after a real ingest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haltwatch-coverage-'));
    try {
      const db = join(dir, 'h.db');
      await runIngest([corpusPath('aws/stratus-red-team')], { db }, capture().io);
      const store = await openStore(db);
      const stored = (await store.counts()).coverageRecords;
      await store.close();
      const c = capture();
      await runCoverage({ db, json: true }, c.io);
      const scopes: { records: number; unknownTimeRecords: number }[] = JSON.parse(c.out()).scopes;
      assert.ok(stored > 0);
      assert.equal(
        scopes.reduce((n, s) => n + s.records + s.unknownTimeRecords, 0),
        stored,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
