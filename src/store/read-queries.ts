import { sql, type Kysely, type SqlBool } from 'kysely';
import { resolveActor } from '../context/identity-chain.ts';
import type { CredentialLink, IdentityLookup, ResolvedActor } from '../context/identity-chain.ts';
import type {
  Actor,
  AuditEvent,
  EpochMs,
  InstanceStop,
  NamePattern,
  RawPointer,
} from '../model/index.ts';
import { actorMatches, namePattern } from '../model/index.ts';
import { chunks, DAY_MS } from './rows.ts';
import type { Database } from './schema.ts';
import type { StopAnswer, StopFilter, Timeline, TimelineEntry, TimelineQuery } from './store.ts';

const IN_LIST = 500;
const MAX_CHAIN_ROUNDS = 10;
const HOUR = 3_600_000;

export async function credentialOf(
  db: Kysely<Database>,
  accessKeyId: string,
): Promise<CredentialLink | undefined> {
  const row = await db
    .selectFrom('credentials')
    .selectAll()
    .where('access_key', '=', accessKeyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    accessKeyId: row.access_key,
    eventId: row.event_id,
    operation: row.operation,
    time: Number(row.time) as EpochMs,
    ...(row.expires_at !== null ? { expiresAt: Number(row.expires_at) as EpochMs } : {}),
    ...(row.session_arn !== null ? { sessionArn: row.session_arn } : {}),
    ...(row.session_name !== null ? { sessionName: row.session_name } : {}),
    ...(row.source_identity !== null ? { sourceIdentity: row.source_identity } : {}),
    issuer: JSON.parse(row.issuer) as Actor,
    raw: JSON.parse(row.raw) as RawPointer,
  };
}

/** An export's name wins over one read from claims. */
export async function principalNameOf(
  db: Kysely<Database>,
  id: string,
): Promise<string | undefined> {
  const rows = await db
    .selectFrom('directory')
    .select(['source', 'name'])
    .where('principal_id', '=', id)
    .execute();
  return (rows.find((r) => r.source === 'export') ?? rows[0])?.name;
}

interface Identity {
  readonly ids: readonly string[];
  readonly accessKeys: readonly string[];
  /** Session ARNs of those keys: events are found by ARN (indexed), then by key. */
  readonly sessionArns: readonly string[];
}

/** A LIKE pattern for text anywhere in a lower-cased column, its wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The ids and names a `NamePattern` matches: narrowed by `LIKE`, decided by the pattern. */
async function matchingIdentities(db: Kysely<Database>, who: NamePattern): Promise<string[]> {
  const like = containsPattern(who.literal);
  const rows = await db
    .selectFrom('directory')
    .select(['principal_id as id', 'name'])
    .where(lowerLike('name', like))
    .union(
      db
        .selectFrom('actors')
        .select(['id', 'name'])
        .where((eb) => eb.or([lowerLike('name', like), lowerLike('id', like)])),
    )
    .execute();
  return rows.filter((r) => who.test(r.id) || who.test(r.name)).map((r) => r.id);
}

/** `lower(column) LIKE pattern`, the same on SQLite and PostgreSQL. */
function lowerLike(column: string, pattern: string) {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/**
 * Everything that stands for one identity: the name given, the ids that carry that name
 * (IAM user ARNs, directory object ids), and every temporary key issued to it or, through
 * role chaining, to a session it opened (across accounts: the keys are global). With a
 * pattern, every identity whose id or name it matches stands in.
 */
async function expandIdentity(
  db: Kysely<Database>,
  who: string,
  pattern?: NamePattern,
): Promise<Identity> {
  const named = pattern
    ? await matchingIdentities(db, pattern)
    : (
        await db
          .selectFrom('directory')
          .select('principal_id as id')
          .where('name', '=', who)
          .union(db.selectFrom('actors').select('id').where('name', '=', who))
          .execute()
      ).map((r) => r.id);
  const ids = [...new Set([who, ...named])];
  const keys = new Set<string>();
  const arns = new Set<string>();
  let frontier: string[] = [];
  const take = (
    rows: readonly { access_key: string; session_arn: string | null }[],
    into: string[],
  ): void => {
    for (const r of rows) {
      if (keys.has(r.access_key)) continue;
      keys.add(r.access_key);
      if (r.session_arn !== null) arns.add(r.session_arn);
      into.push(r.access_key);
    }
  };
  for (const part of chunks(ids, IN_LIST)) {
    const direct = await db
      .selectFrom('credentials')
      .select(['access_key', 'session_arn'])
      .where((eb) => eb.or([eb('issuer_id', 'in', part), eb('source_identity', 'in', part)]))
      .execute();
    take(direct, frontier);
  }
  for (let round = 0; round < MAX_CHAIN_ROUNDS && frontier.length > 0; round++) {
    const next: string[] = [];
    for (const part of chunks(frontier, IN_LIST)) {
      take(
        await db
          .selectFrom('credentials')
          .select(['access_key', 'session_arn'])
          .where('issuer_key', 'in', part)
          .execute(),
        next,
      );
    }
    frontier = next;
  }
  return { ids, accessKeys: [...keys].sort(), sessionArns: [...arns].sort() };
}

function parseStop(json: string): InstanceStop {
  return JSON.parse(json) as InstanceStop;
}

async function answer(
  stops: readonly InstanceStop[],
  lookup: IdentityLookup,
): Promise<StopAnswer[]> {
  // Many stops share a session: resolve each distinct actor once.
  const cache = new Map<string, Promise<ResolvedActor>>();
  return Promise.all(
    stops.map(async (stop) => {
      const key = `${stop.provider}\u0000${JSON.stringify(stop.actor)}`;
      let resolved = cache.get(key);
      if (!resolved) cache.set(key, (resolved = resolveActor(stop.provider, stop.actor, lookup)));
      return { stop, resolved: await resolved };
    }),
  );
}

export async function queryStopsIn(
  db: Kysely<Database>,
  filter: StopFilter,
  lookup: IdentityLookup,
): Promise<StopAnswer[]> {
  let query = db.selectFrom('stops').select(['json', 'actor_id', 'principal', 'access_key']);
  if (filter.since !== undefined) query = query.where('time', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('time', '<=', filter.until);
  if (filter.provider) query = query.where('provider', '=', filter.provider);
  if (filter.account) query = query.where('account', '=', filter.account);
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  const instance = filter.instance;
  if (instance !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('instance_uid', '=', instance), eb('instance_name', '=', instance)]),
    );
  }
  // As `scan --actor` (`actorMatches`), and beyond what scan can see: every stop made with
  // a key the matching identities were issued, through however many roles.
  const who = filter.actor !== undefined ? namePattern(filter.actor) : undefined;
  let identity: Identity | undefined;
  if (filter.actor !== undefined && who !== undefined) {
    const { ids, accessKeys } = (identity = await expandIdentity(db, filter.actor, who));
    query = query.where((eb) =>
      eb.or([
        // Narrows the rows to those the pattern may match (the literal as JSON writes it, so
        // a quote or backslash in a name still matches); `actorMatches` decides below.
        lowerLike('json', containsPattern(JSON.stringify(who.literal).slice(1, -1))),
        ...chunks(ids, IN_LIST).flatMap((part) => [
          eb('actor_id', 'in', part),
          eb('principal', 'in', part),
        ]),
        ...chunks(accessKeys, IN_LIST).map((part) => eb('access_key', 'in', part)),
      ]),
    );
  }
  query = query.orderBy('time').orderBy('key');
  if (filter.limit !== undefined && who === undefined) query = query.limit(filter.limit);
  const ids = new Set(identity?.ids);
  const keys = new Set(identity?.accessKeys);
  let stops = (await query.execute()).flatMap((row) => {
    const stop = parseStop(row.json);
    const keep =
      who === undefined ||
      actorMatches(stop.actor, who) ||
      (row.actor_id !== null && ids.has(row.actor_id)) ||
      (row.principal !== null && ids.has(row.principal)) ||
      (row.access_key !== null && keys.has(row.access_key));
    return keep ? [stop] : [];
  });
  if (filter.limit !== undefined) stops = stops.slice(0, filter.limit);
  return answer(stops, lookup);
}

export async function whoStoppedIn(
  db: Kysely<Database>,
  instance: string,
  all: boolean,
  lookup: IdentityLookup,
): Promise<StopAnswer[]> {
  let query = db
    .selectFrom('stops')
    .select('json')
    .where((eb) => eb.or([eb('instance_uid', '=', instance), eb('instance_name', '=', instance)]));
  query = all
    ? query.orderBy('time').orderBy('key')
    : query.orderBy('time', 'desc').orderBy('key', 'desc').limit(1);
  const rows = await query.execute();
  return answer(
    rows.map((r) => parseStop(r.json)),
    lookup,
  );
}

/** The hours any of these ids acted in, merged into `[start, end)` ranges. */
async function activeRanges(
  db: Kysely<Database>,
  whos: readonly string[],
  from?: number,
  to?: number,
): Promise<[number, number][]> {
  const hours = new Set<number>();
  for (const part of chunks(whos, IN_LIST)) {
    let q = db.selectFrom('activity').select('hour').where('who', 'in', part);
    if (from !== undefined) q = q.where('hour', '>', from - HOUR);
    if (to !== undefined) q = q.where('hour', '<=', to);
    for (const row of await q.execute()) hours.add(Number(row.hour));
  }
  const ranges: [number, number][] = [];
  for (const hour of [...hours].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === hour) last[1] = hour + HOUR;
    else ranges.push([hour, hour + HOUR]);
  }
  return ranges;
}

/**
 * The days an instance timeline must visit (the leading key of the instance indexes): those
 * of the window when there is one, else every day any link has, found by a skip scan (one
 * index seek per day present, not a read of every link).
 */
async function instanceDays(db: Kysely<Database>, from?: number, to?: number): Promise<number[]> {
  if (from !== undefined && to !== undefined) {
    const days: number[] = [];
    for (let day = Math.trunc(from / DAY_MS); day <= Math.trunc(to / DAY_MS); day++) days.push(day);
    return days;
  }
  const rows = await sql<{ day: number | string | null }>`
    with recursive d(day) as (
      select min(day) from event_instances
      union all
      select (select min(ei.day) from event_instances ei where ei.day > d.day)
      from d where d.day is not null
    )
    select day from d where day is not null`.execute(db);
  return rows.rows.map((r) => Number(r.day));
}

function bounds(query: TimelineQuery): { from?: number; to?: number } {
  if (query.around === undefined) return {};
  const window = query.window ?? HOUR;
  return { from: query.around - window, to: query.around + window };
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  const idA = a.kind === 'event' ? a.event.id : a.credential.eventId;
  const idB = b.kind === 'event' ? b.event.id : b.credential.eventId;
  return a.time - b.time || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

export async function timelineIn(db: Kysely<Database>, query: TimelineQuery): Promise<Timeline> {
  const { from, to } = bounds(query);
  const entries: TimelineEntry[] = [];
  const seen = new Set<string>();
  const push = (json: string): void => {
    const event = JSON.parse(json) as AuditEvent;
    if (seen.has(event.id)) return;
    seen.add(event.id);
    entries.push({ kind: 'event', time: event.time, event });
  };
  if (query.instance !== undefined) {
    const days = await instanceDays(db, from, to);
    // Two index range scans (uid, name) instead of one OR the planner may not split.
    for (const column of ['ei.instance_uid', 'ei.instance_name'] as const) {
      for (const part of chunks(days, IN_LIST)) {
        let q = db
          .selectFrom('event_instances as ei')
          .innerJoin('events as e', (join) =>
            join.onRef('e.time', '=', 'ei.time').onRef('e.id', '=', 'ei.event_id'),
          )
          .select('e.json')
          .where('ei.day', 'in', part)
          .where(column, '=', query.instance);
        if (from !== undefined) q = q.where('ei.time', '>=', from);
        if (to !== undefined) q = q.where('ei.time', '<=', to);
        for (const row of await q.execute()) push(row.json);
      }
    }
    entries.sort(byTime);
    return { entries: query.limit !== undefined ? entries.slice(0, query.limit) : entries };
  }
  const identity = await expandIdentity(db, query.actor);
  const keys = new Set(identity.accessKeys);
  const ids = new Set(identity.ids);
  const whos = [...new Set([...identity.ids, ...identity.sessionArns])];
  for (const [start, end] of await activeRanges(db, whos, from, to)) {
    for (const part of chunks(whos, IN_LIST)) {
      const rows = await db
        .selectFrom('events')
        .select(['json', 'actor_id', 'principal', 'access_key'])
        .where('time', '>=', Math.max(start, from ?? start))
        .where('time', '<', Math.min(end, to === undefined ? end : to + 1))
        .where((eb) => eb.or([eb('actor_id', 'in', part), eb('principal', 'in', part)]))
        .execute();
      for (const row of rows) {
        const direct =
          (row.actor_id !== null && ids.has(row.actor_id)) ||
          (row.principal !== null && ids.has(row.principal));
        // A session ARN is shared by every session of that role and name: the key tells whose.
        if (direct || (row.access_key !== null && keys.has(row.access_key))) push(row.json);
      }
    }
  }
  // The credentials this identity was handed: its role assumptions, kept compactly.
  const issued = new Set(identity.accessKeys);
  for (const part of chunks(identity.accessKeys, IN_LIST)) {
    let q = db.selectFrom('credentials').selectAll().where('access_key', 'in', part);
    if (from !== undefined) q = q.where('time', '>=', from);
    if (to !== undefined) q = q.where('time', '<=', to);
    for (const row of await q.execute()) {
      if (!issued.has(row.access_key)) continue;
      entries.push({
        kind: 'credential',
        time: Number(row.time) as EpochMs,
        credential: {
          accessKeyId: row.access_key,
          eventId: row.event_id,
          operation: row.operation,
          time: Number(row.time) as EpochMs,
          ...(row.session_arn !== null ? { sessionArn: row.session_arn } : {}),
          raw: JSON.parse(row.raw) as RawPointer,
        },
      });
    }
  }
  entries.sort(byTime);
  return {
    entries: query.limit !== undefined ? entries.slice(0, query.limit) : entries,
    identity: { ids: identity.ids, accessKeys: identity.accessKeys },
  };
}
