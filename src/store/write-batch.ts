import { sql, type Kysely, type Transaction } from 'kysely';
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
import type { Database, DirectoryTable, EventInstancesTable } from './schema.ts';
import type { Batch, FileInfo, FileStart, PutBatchResult } from './store.ts';

/* 500 rows × 13 columns stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 500;
/** Advisory lock id for batch writes (any constant; "hw" in ASCII). */
const BATCH_LOCK = 0x6877;

export async function beginFileTx(db: Kysely<Database>, file: FileInfo): Promise<FileStart> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('files')
      .select('status')
      .where('hash', '=', file.hash)
      .executeTakeFirst();
    if (row?.status === 'done') return 'done';
    // An interrupted run added some of this file's counts: drop them, they are re-added.
    await trx.deleteFrom('coverage').where('file_hash', '=', file.hash).execute();
    await trx
      .insertInto('files')
      .values({
        hash: file.hash,
        path: file.path,
        size: file.size,
        status: 'in_progress',
        records: 0,
        events: 0,
      })
      .onConflict((oc) =>
        oc.column('hash').doUpdateSet({
          path: file.path,
          size: file.size,
          status: 'in_progress',
          records: 0,
          events: 0,
        }),
      )
      .execute();
    return 'started';
  });
}

async function insertEvents(
  trx: Transaction<Database>,
  events: readonly AuditEvent[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  // Key order: neighbouring inserts land on neighbouring index pages.
  const sorted = [...events].sort(
    (a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const part of chunks(sorted, ROWS_PER_INSERT)) {
    const rows = await trx
      .insertInto('events')
      .values(part.map(eventRow))
      .onConflict((oc) => oc.columns(['time', 'id']).doNothing())
      .returning('id')
      .execute();
    for (const row of rows) inserted.add(row.id);
  }
  return inserted;
}

async function insertCredentials(
  trx: Transaction<Database>,
  events: readonly AuditEvent[],
): Promise<number> {
  let added = 0;
  const rows = events.map(credentialRow).filter((r) => r !== undefined);
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    const done = await trx
      .insertInto('credentials')
      .values(part)
      .onConflict((oc) => oc.column('access_key').doNothing())
      .returning('access_key')
      .execute();
    added += done.length;
  }
  return added;
}

async function upsertNames(
  trx: Transaction<Database>,
  names: readonly DirectoryTable[],
): Promise<void> {
  for (const part of chunks(bestNames(names), ROWS_PER_INSERT)) {
    await trx
      .insertInto('directory')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['principal_id', 'source'])
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), seen: eb.ref('excluded.seen') }))
          .where((eb) =>
            eb.or([
              eb('excluded.seen', '>', eb.ref('directory.seen')),
              eb.and([
                eb('excluded.seen', '=', eb.ref('directory.seen')),
                eb('excluded.name', '<', eb.ref('directory.name')),
              ]),
            ]),
          ),
      )
      .execute();
  }
}

/** Re-merges every stop a batch touched from all stored events of that stop. */
async function remergeStops(trx: Transaction<Database>, keys: ReadonlySet<string>): Promise<void> {
  for (const part of chunks([...keys], ROWS_PER_INSERT)) {
    const rows = await trx
      .selectFrom('event_instances as ei')
      .innerJoin('events as e', (join) =>
        join.onRef('e.time', '=', 'ei.time').onRef('e.id', '=', 'ei.event_id'),
      )
      .select(['e.json'])
      .where('ei.stop_key', 'in', part)
      .orderBy('e.time')
      .orderBy('e.id')
      .execute();
    const wanted = new Set(part);
    const stops = assembleStops(rows.map((r) => JSON.parse(r.json) as AuditEvent)).filter((s) =>
      wanted.has(s.id),
    );
    for (const few of chunks(stops.map(stopRow), ROWS_PER_INSERT)) {
      await trx
        .insertInto('stops')
        .values(few)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            provider: eb.ref('excluded.provider'),
            action: eb.ref('excluded.action'),
            time: eb.ref('excluded.time'),
            account: eb.ref('excluded.account'),
            instance_uid: eb.ref('excluded.instance_uid'),
            instance_name: eb.ref('excluded.instance_name'),
            actor_id: eb.ref('excluded.actor_id'),
            actor_name: eb.ref('excluded.actor_name'),
            principal: eb.ref('excluded.principal'),
            access_key: eb.ref('excluded.access_key'),
            outcome: eb.ref('excluded.outcome'),
            json: eb.ref('excluded.json'),
          })),
        )
        .execute();
    }
  }
}

/**
 * Writes one batch in one transaction: new events, their instance links, the credentials
 * of role-issuing events (instead of the events), names from Azure claims, coverage
 * counts, and the stops those events belong to, re-merged over everything stored.
 */
export async function putBatchTx(
  db: Kysely<Database>,
  fileHash: string,
  batch: Batch,
  kind: 'sqlite' | 'postgres',
): Promise<PutBatchResult> {
  const unique = uniqueById(batch.events);
  const issuing = unique.filter((e) => e.issued?.accessKeyId);
  const kept = unique.filter((e) => !e.issued?.accessKeyId);
  return db.transaction().execute(async (trx) => {
    // Two ingests into one PostgreSQL store at once would each re-merge a shared stop from
    // only the events they can see; one batch at a time keeps stops whole. (SQLite already
    // lets one writer in at a time.)
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${BATCH_LOCK})`.execute(trx);
    const inserted = await insertEvents(trx, kept);
    const links: EventInstancesTable[] = [];
    for (const event of kept) if (inserted.has(event.id)) links.push(...instanceRows(event));
    links.sort(byLinkKey);
    for (const part of chunks(links, ROWS_PER_INSERT)) {
      await trx.insertInto('event_instances').values(part).execute();
    }
    const credentialsNew = await insertCredentials(trx, issuing);
    const active = activityRows(kept.filter((e) => inserted.has(e.id)));
    for (const part of chunks(active, ROWS_PER_INSERT)) {
      await trx
        .insertInto('activity')
        .values(part)
        .onConflict((oc) => oc.columns(['who', 'hour']).doNothing())
        .execute();
    }
    for (const part of chunks(actorRows(unique), ROWS_PER_INSERT)) {
      await trx
        .insertInto('actors')
        .values(part)
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ name: eb.ref('excluded.name') }))
            .where((eb) => eb('excluded.name', '<', eb.ref('actors.name'))),
        )
        .execute();
    }
    await upsertNames(trx, unique.flatMap(claimNames));
    for (const part of chunks(sumCoverage(fileHash, batch.coverage ?? []), ROWS_PER_INSERT)) {
      await trx
        .insertInto('coverage')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['provider', 'account', 'region', 'hour', 'file_hash']).doUpdateSet((eb) => ({
            records: eb('coverage.records', '+', eb.ref('excluded.records')),
          })),
        )
        .execute();
    }
    await trx
      .updateTable('files')
      .set((eb) => ({
        records: eb('records', '+', batch.records ?? 0),
        events: eb('events', '+', batch.events.length),
      }))
      .where('hash', '=', fileHash)
      .execute();
    const touched = new Set(links.map((l) => l.stop_key).filter((k): k is string => k !== null));
    if (touched.size > 0) await remergeStops(trx, touched);
    const stored = inserted.size + credentialsNew;
    return {
      eventsNew: inserted.size,
      duplicates: unique.length - stored + (batch.events.length - unique.length),
      credentialsNew,
      stopsTouched: touched.size,
    };
  });
}
