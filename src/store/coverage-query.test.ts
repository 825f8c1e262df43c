import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { EpochMs, ProviderId } from '../model/index.ts';
import type { CoverageCount } from '../pipeline/types.ts';
import { backends } from './testing/backends.ts';
import { openStore } from './open-store.ts';
import type { KyselyStore } from './kysely-store.ts';

/*
 * The coverage report on SQLite and on a real PostgreSQL server: gaps are found in SQL with
 * window functions, so both engines must agree with a plain reading of the hours.
 */

const HOUR = 3_600_000;
const H0 = Date.UTC(2024, 7, 1, 0);
const h = (n: number): EpochMs => (H0 + n * HOUR) as EpochMs;
const file = (hash: string) => ({ hash, path: `${hash}.json`, size: 100 });

function count(
  hour: number,
  records: number,
  scope: { provider?: ProviderId; account?: string; region?: string } = {},
): CoverageCount {
  return {
    provider: scope.provider ?? 'aws',
    account: scope.account ?? '111111111111',
    region: scope.region ?? 'us-east-1',
    hour: hour as EpochMs,
    records,
  };
}

/** The gaps of a set of hour indexes, read the slow obvious way. */
function expectedGaps(hours: readonly number[]): { start: number; end: number }[] {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const gaps: { start: number; end: number }[] = [];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! - sorted[i - 1]! > 1)
      gaps.push({ start: h(sorted[i - 1]! + 1), end: h(sorted[i]!) });
  }
  return gaps.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
}

for (const makeBackend of backends) {
  const backend = makeBackend();
  describe(`coverage report on ${backend.name}`, () => {
    const open: KyselyStore[] = [];
    async function fresh(): Promise<KyselyStore> {
      const store = await openStore(await backend.fresh());
      open.push(store);
      return store;
    }
    before(() => backend.setup());
    after(async () => {
      for (const store of open) await store.close().catch(() => undefined);
      await backend.teardown();
    });

    it('should report a 5-hour hole as exactly that gap, and count records and hours', async () => {
      const store = await fresh();
      await store.beginFile(file('f1'));
      // Hours 0-3 and 9-11 have records; 4..8 (five hours) have none.
      const hours = [0, 1, 2, 3, 9, 10, 11];
      await store.putBatch('f1', { events: [], coverage: hours.map((n) => count(h(n), 2)) });
      const [scope, ...rest] = await store.coverageReport({});
      assert.equal(rest.length, 0);
      assert.deepEqual(scope, {
        provider: 'aws',
        account: '111111111111',
        region: 'us-east-1',
        first: h(0),
        last: h(11),
        records: 14,
        hoursCovered: 7,
        gaps: [{ start: h(4), end: h(9) }],
        unknownTimeRecords: 0,
      });
    });

    it('should fill a gap with the hours another file covers, counting each hour once', async () => {
      const store = await fresh();
      await store.beginFile(file('a'));
      await store.putBatch('a', { events: [], coverage: [count(h(0), 1), count(h(6), 1)] });
      await store.beginFile(file('b'));
      await store.putBatch('b', {
        events: [],
        coverage: [count(h(0), 3), count(h(2), 1), count(h(3), 1)],
      });
      const [scope] = await store.coverageReport({});
      assert.equal(scope?.records, 7);
      assert.equal(scope?.hoursCovered, 4);
      // 1 and 4..5 stay empty: the longer run first.
      assert.deepEqual(scope?.gaps, [
        { start: h(4), end: h(6) },
        { start: h(1), end: h(2) },
      ]);
    });

    it('should report records of unknown time apart, never as a gap back to 1970', async () => {
      const store = await fresh();
      await store.beginFile(file('u'));
      await store.putBatch('u', {
        events: [],
        coverage: [
          count(0, 5),
          count(h(0), 1),
          count(h(1), 1),
          count(0, 2, { provider: 'gcp', account: 'proj-x', region: 'unknown' }),
        ],
      });
      const report = await store.coverageReport({});
      assert.deepEqual(
        report.map((s) => [s.provider, s.first, s.last, s.records, s.unknownTimeRecords, s.gaps]),
        [
          ['aws', h(0), h(1), 2, 5, []],
          // Only unknown-time records: the scope is listed with nothing placed in time.
          ['gcp', undefined, undefined, 0, 2, []],
        ],
      );
      // A time window cannot exclude what has no time.
      const windowed = await store.coverageReport({ since: h(5), provider: 'aws' });
      assert.deepEqual(
        windowed.map((s) => [s.first, s.records, s.unknownTimeRecords]),
        [[undefined, 0, 5]],
      );
    });

    it('should filter by provider, account and time window', async () => {
      const store = await fresh();
      await store.beginFile(file('m'));
      await store.putBatch('m', {
        events: [],
        coverage: [
          ...[0, 1, 5, 6, 10].map((n) => count(h(n), 1)),
          count(h(0), 4, { account: '222222222222', region: 'eu-west-1' }),
          count(h(3), 9, { provider: 'azure', account: 'sub-1', region: 'westeurope' }),
        ],
      });
      const all = await store.coverageReport({});
      assert.deepEqual(
        all.map((s) => `${s.provider}/${s.account}/${s.region}`),
        ['aws/111111111111/us-east-1', 'aws/222222222222/eu-west-1', 'azure/sub-1/westeurope'],
      );
      const azure = await store.coverageReport({ provider: 'azure' });
      assert.deepEqual(
        azure.map((s) => s.records),
        [9],
      );
      const account = await store.coverageReport({ account: '222222222222' });
      assert.deepEqual(
        account.map((s) => [s.region, s.records]),
        [['eu-west-1', 4]],
      );
      // Half-way into hour 1 keeps hour 1; hour 6 ends before the bound at its end.
      const window = await store.coverageReport({
        account: '111111111111',
        since: (h(1) + 30 * 60_000) as EpochMs,
        until: (h(6) - 1) as EpochMs,
      });
      assert.deepEqual(
        window.map((s) => [s.first, s.last, s.records, s.hoursCovered, s.gaps]),
        [[h(1), h(5), 2, 2, [{ start: h(2), end: h(5) }]]],
      );
    });

    it('should find the same gaps as a plain reading of any set of hours', async () => {
      const store = await fresh();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 24 * 40 }), { minLength: 1, maxLength: 40 }),
          async (hours) => {
            // Each run in its own account of one store: a fresh database per run is slow.
            const account = `acct-${++run}`;
            const hash = `p${run}`;
            await store.beginFile(file(hash));
            await store.putBatch(hash, {
              events: [],
              coverage: hours.map((n) => count(h(n), 1, { account })),
            });
            const [scope] = await store.coverageReport({ account });
            const distinct = new Set(hours);
            assert.equal(scope?.records, hours.length);
            assert.equal(scope?.hoursCovered, distinct.size);
            assert.equal(scope?.first, h(Math.min(...hours)));
            assert.equal(scope?.last, h(Math.max(...hours)));
            assert.deepEqual(scope?.gaps, expectedGaps(hours));
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}
