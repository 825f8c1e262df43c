import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { EpochMs, ProviderId } from '../model/index.ts';
import type { Database } from './schema.ts';
import type { CoverageFilter, CoverageHours, CoverageScope } from './store.ts';

const HOUR = 3_600_000;
/** Where the scanner counts a record whose time it could not read (`UNKNOWN_HOUR`). */
const UNKNOWN_HOUR = 0;

type CoverageQuery = SelectQueryBuilder<Database, 'coverage', object>;

/*
 * `since`/`until` select whole hours: an hour is in when any part of it is. Records of
 * unknown time cannot be placed inside or outside a window, so only the scope filters
 * apply to them.
 */
function scoped(query: CoverageQuery, filter: CoverageFilter): CoverageQuery {
  let q = query;
  if (filter.provider !== undefined) q = q.where('provider', '=', filter.provider);
  if (filter.account !== undefined) q = q.where('account', '=', filter.account);
  return q;
}

function timed(query: CoverageQuery, filter: CoverageFilter): CoverageQuery {
  let q = scoped(query, filter).where('hour', '<>', UNKNOWN_HOUR);
  if (filter.since !== undefined) q = q.where('hour', '>', filter.since - HOUR);
  if (filter.until !== undefined) q = q.where('hour', '<=', filter.until);
  return q;
}

const keyOf = (r: { provider: string; account: string; region: string }): string =>
  `${r.provider}\u0000${r.account}\u0000${r.region}`;

/**
 * Coverage per (provider, account, region): the first and last hour with records, the
 * records and hours counted, and the runs of empty hours in between, found in SQL with
 * `lag()` over the distinct hours (both engines have window functions), so the rows
 * read back grow with the gaps, not with the hours.
 */
export async function coverageReportIn(
  db: Kysely<Database>,
  filter: CoverageFilter,
): Promise<readonly CoverageScope[]> {
  const spans = await timed(db.selectFrom('coverage'), filter)
    .select([
      'provider',
      'account',
      'region',
      sql<string | number>`min(hour)`.as('first'),
      sql<string | number>`max(hour)`.as('last'),
      sql<string | number>`sum(records)`.as('records'),
      sql<string | number>`count(distinct hour)`.as('hours'),
    ])
    .groupBy(['provider', 'account', 'region'])
    .execute();

  const unknown = await scoped(db.selectFrom('coverage'), filter)
    .where('hour', '=', UNKNOWN_HOUR)
    .select(['provider', 'account', 'region', sql<string | number>`sum(records)`.as('records')])
    .groupBy(['provider', 'account', 'region'])
    .execute();

  // Distinct hours per scope (a file each may count the same hour), then each hour with
  // the one before it: a step of more than an hour is a gap.
  const hours = timed(db.selectFrom('coverage'), filter)
    .select(['provider', 'account', 'region', 'hour'])
    .groupBy(['provider', 'account', 'region', 'hour']);
  const steps = db
    .selectFrom(hours.as('h'))
    .select([
      'provider',
      'account',
      'region',
      'hour',
      sql<
        string | number | null
      >`lag(hour) over (partition by provider, account, region order by hour)`.as('prev'),
    ]);
  const gapRows = await db
    .selectFrom(steps.as('s'))
    .select(['provider', 'account', 'region', 'hour', 'prev'])
    .where(sql<boolean>`prev is not null and hour - prev > ${HOUR}`)
    .execute();

  const gaps = new Map<string, CoverageHours[]>();
  for (const g of gapRows) {
    const list = gaps.get(keyOf(g)) ?? [];
    list.push({ start: (Number(g.prev) + HOUR) as EpochMs, end: Number(g.hour) as EpochMs });
    gaps.set(keyOf(g), list);
  }
  const unknownBy = new Map(unknown.map((u) => [keyOf(u), Number(u.records)]));

  const scopes = new Map<string, CoverageScope>();
  for (const s of spans) {
    const key = keyOf(s);
    scopes.set(key, {
      provider: s.provider as ProviderId,
      account: s.account,
      region: s.region,
      first: Number(s.first) as EpochMs,
      last: Number(s.last) as EpochMs,
      records: Number(s.records),
      hoursCovered: Number(s.hours),
      gaps: (gaps.get(key) ?? []).sort(longestFirst),
      unknownTimeRecords: unknownBy.get(key) ?? 0,
    });
  }
  // Scopes seen only in records of unknown time: listed, with nothing to place in time.
  for (const u of unknown) {
    const key = keyOf(u);
    if (scopes.has(key)) continue;
    scopes.set(key, {
      provider: u.provider as ProviderId,
      account: u.account,
      region: u.region,
      records: 0,
      hoursCovered: 0,
      gaps: [],
      unknownTimeRecords: Number(u.records),
    });
  }
  return [...scopes.values()].sort(byScope);
}

function longestFirst(a: CoverageHours, b: CoverageHours): number {
  return b.end - b.start - (a.end - a.start) || a.start - b.start;
}

function byScope(a: CoverageScope, b: CoverageScope): number {
  return cmp(a.provider, b.provider) || cmp(a.account, b.account) || cmp(a.region, b.region);
}

// Code-unit order, the same on every engine and locale.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
