import type BetterSqlite3 from 'better-sqlite3';
import { assembleStops } from '../model/index.ts';
import type { AuditEvent } from '../model/index.ts';
import {
  activityRows,
  actorRows,
  bestNames,
  byLinkKey,
  chunks,
  claimNames,
  credentialRow,
  eventRow,
  instanceRows,
  stopRow,
  sumCoverage,
  uniqueById,
} from './rows.ts';
import type { EventInstancesTable } from './schema.ts';
import type { Batch, PutBatchResult } from './store.ts';

/* Keys re-merged together: the same grouping as the kysely path, so stops come out equal. */
const KEYS_PER_MERGE = 500;

const SQL = {
  event:
    'insert into events (id, provider, action, operation, time, account, region, actor_id, actor_name, principal, access_key, json) ' +
    'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
    'on conflict (time, id) do nothing',
  link:
    'insert into event_instances (event_id, instance_uid, instance_name, time, day, stop_key) ' +
    'values (?, ?, ?, ?, ?, ?)',
  credential:
    'insert into credentials (access_key, event_id, provider, operation, time, expires_at, session_arn, session_name, source_identity, issuer_id, issuer_name, issuer_key, issuer, raw) ' +
    'values (@access_key, @event_id, @provider, @operation, @time, @expires_at, @session_arn, @session_name, @source_identity, @issuer_id, @issuer_name, @issuer_key, @issuer, @raw) ' +
    'on conflict (access_key) do nothing',
  activity:
    'insert into activity (who, hour) values (@who, @hour) on conflict (who, hour) do nothing',
  actor:
    'insert into actors (id, name) values (@id, @name) on conflict (id) do update set name = excluded.name ' +
    'where excluded.name < actors.name',
  name:
    'insert into directory (principal_id, source, name, seen) values (@principal_id, @source, @name, @seen) ' +
    'on conflict (principal_id, source) do update set name = excluded.name, seen = excluded.seen ' +
    'where excluded.seen > directory.seen or (excluded.seen = directory.seen and excluded.name < directory.name)',
  coverage:
    'insert into coverage (provider, account, region, hour, file_hash, records) ' +
    'values (@provider, @account, @region, @hour, @file_hash, @records) ' +
    'on conflict (provider, account, region, hour, file_hash) do update set records = coverage.records + excluded.records',
  file: 'update files set records = records + ?, events = events + ? where hash = ?',
  stopEvents:
    'select e.time as time, e.id as id, e.json as json from event_instances ei ' +
    'join events e on e.time = ei.time and e.id = ei.event_id where ei.stop_key = ?',
  stop:
    'insert into stops (key, provider, action, time, account, instance_uid, instance_name, actor_id, actor_name, principal, access_key, outcome, json) ' +
    'values (@key, @provider, @action, @time, @account, @instance_uid, @instance_name, @actor_id, @actor_name, @principal, @access_key, @outcome, @json) ' +
    'on conflict (key) do update set provider = excluded.provider, action = excluded.action, time = excluded.time, ' +
    'account = excluded.account, instance_uid = excluded.instance_uid, instance_name = excluded.instance_name, ' +
    'actor_id = excluded.actor_id, actor_name = excluded.actor_name, principal = excluded.principal, ' +
    'access_key = excluded.access_key, outcome = excluded.outcome, json = excluded.json',
} as const;

type Statements = { readonly [K in keyof typeof SQL]: BetterSqlite3.Statement };

function byTimeThenId(a: { time: number; id: string }, b: { time: number; id: string }): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * `putBatch` for SQLite without the query builder: the same rows as the kysely path
 * (`write-batch.ts`, still used for PostgreSQL), written through statements prepared once
 * and reused for every row of every batch. Building a kysely query per 500 rows, binding
 * thousands of parameters and returning ids was a third of ingest time; one prepared
 * insert per row inside one transaction is what SQLite is fastest at.
 *
 * Synchronous on purpose: better-sqlite3 is, and a batch is one `BEGIN IMMEDIATE`
 * transaction that rolls back whole on any error, exactly as before.
 *
 * @example
 * const writer = new SqliteBatchWriter(database);
 * const result = writer.write(file.hash, { events });
 */
export class SqliteBatchWriter {
  readonly #database: BetterSqlite3.Database;
  #statements: Statements | undefined;

  constructor(database: BetterSqlite3.Database) {
    this.#database = database;
  }

  /* Prepared on first use: the tables exist only once the store is migrated. */
  #prepared(): Statements {
    if (this.#statements) return this.#statements;
    const prepared = Object.fromEntries(
      Object.entries(SQL).map(([name, source]) => [name, this.#database.prepare(source)]),
    ) as unknown as Statements;
    this.#statements = prepared;
    return prepared;
  }

  write(fileHash: string, batch: Batch): PutBatchResult {
    const s = this.#prepared();
    return this.#database.transaction(() => this.#write(s, fileHash, batch)).immediate();
  }

  #write(s: Statements, fileHash: string, batch: Batch): PutBatchResult {
    const unique = uniqueById(batch.events);
    const kept: AuditEvent[] = [];
    const issuing: AuditEvent[] = [];
    for (const e of unique) (e.issued?.accessKeyId ? issuing : kept).push(e);
    // Key order: neighbouring inserts land on neighbouring index pages.
    kept.sort(byTimeThenId);
    const inserted: AuditEvent[] = [];
    for (const event of kept) {
      // Positional values, no row object: this runs once per event.
      const r = eventRow(event);
      const run = s.event.run(
        r.id,
        r.provider,
        r.action,
        r.operation,
        r.time,
        r.account,
        r.region,
        r.actor_id,
        r.actor_name,
        r.principal,
        r.access_key,
        r.json,
      );
      if (run.changes > 0) inserted.push(event);
    }
    const links: EventInstancesTable[] = [];
    for (const event of inserted) for (const row of instanceRows(event)) links.push(row);
    links.sort(byLinkKey);
    for (const l of links)
      s.link.run(l.event_id, l.instance_uid, l.instance_name, l.time, l.day, l.stop_key);
    let credentialsNew = 0;
    for (const event of issuing) {
      const row = credentialRow(event);
      if (row && s.credential.run(row).changes > 0) credentialsNew++;
    }
    for (const row of activityRows(inserted)) s.activity.run(row);
    for (const row of actorRows(unique)) s.actor.run(row);
    for (const row of bestNames(unique.flatMap(claimNames))) s.name.run(row);
    for (const row of sumCoverage(fileHash, batch.coverage ?? [])) s.coverage.run(row);
    s.file.run(batch.records ?? 0, batch.events.length, fileHash);
    const touched = new Set<string>();
    for (const link of links) if (link.stop_key !== null) touched.add(link.stop_key);
    for (const part of chunks([...touched], KEYS_PER_MERGE)) this.#remerge(s, part);
    const stored = inserted.length + credentialsNew;
    return {
      eventsNew: inserted.length,
      duplicates: unique.length - stored + (batch.events.length - unique.length),
      credentialsNew,
      stopsTouched: touched.size,
    };
  }

  /** Re-assembles stops from every stored event of their keys (one indexed lookup per key). */
  #remerge(s: Statements, keys: readonly string[]): void {
    const rows: { time: number; id: string; json: string }[] = [];
    for (const key of keys) {
      for (const row of s.stopEvents.all(key) as { time: number; id: string; json: string }[])
        rows.push(row);
    }
    rows.sort(byTimeThenId);
    const wanted = new Set(keys);
    const stops = assembleStops(rows.map((r) => JSON.parse(r.json) as AuditEvent));
    for (const stop of stops) if (wanted.has(stop.id)) s.stop.run(stopRow(stop));
  }
}
