import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { StoreError } from '../errors.ts';
import { DAY_MS } from './rows.ts';

/*
 * Migrations live in code, in order, and are never edited once released: a store made by
 * an older haltwatch is upgraded by running the ones it lacks. `Kysely<any>` because a
 * migration runs against the schema as it was, not as `schema.ts` says it is now.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('files')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('records', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('events', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('account', 'text')
      .addColumn('region', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('principal', 'text')
      .addColumn('access_key', 'text')
      .addColumn('json', 'text', (c) => c.notNull())
      // Time first: logs arrive roughly in time order, so new keys land at the end of the
      // index instead of at random places (event ids are UUIDs), which more than doubles
      // ingest speed. A record's id always comes with the same time, so (time, id) is as
      // unique as the id. Identities are found through `activity`, then by time.
      .addPrimaryKeyConstraint('events_pk', ['time', 'id'])
      .execute();
    await db.schema
      .createTable('activity')
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('activity_pk', ['who', 'hour'])
      .execute();
    await db.schema
      .createTable('event_instances')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('instance_uid', 'text', (c) => c.notNull())
      .addColumn('instance_name', 'text')
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('stop_key', 'text')
      .execute();
    // No key: links are written only with their event's first insert, in its transaction,
    // so the events key keeps them unique. A short index costs far less than a key with
    // the event's UUID in it (instances are random positions, unlike time).
    await db.schema
      .createIndex('event_instances_uid')
      .on('event_instances')
      .columns(['instance_uid', 'time'])
      .execute();
    await db.schema
      .createIndex('event_instances_stop')
      .on('event_instances')
      .column('stop_key')
      .where(sql.ref('stop_key'), 'is not', null)
      .execute();
    await db.schema
      .createTable('stops')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('account', 'text')
      .addColumn('instance_uid', 'text', (c) => c.notNull())
      .addColumn('instance_name', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('principal', 'text')
      .addColumn('access_key', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('stops_time').on('stops').column('time').execute();
    await db.schema
      .createIndex('stops_instance')
      .on('stops')
      .columns(['instance_uid', 'time'])
      .execute();
    await db.schema
      .createTable('credentials')
      .addColumn('access_key', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('session_arn', 'text')
      .addColumn('session_name', 'text')
      .addColumn('source_identity', 'text')
      .addColumn('issuer_id', 'text')
      .addColumn('issuer_name', 'text')
      .addColumn('issuer_key', 'text')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('credentials_issuer_id')
      .on('credentials')
      .column('issuer_id')
      .execute();
    await db.schema
      .createIndex('credentials_source_identity')
      .on('credentials')
      .column('source_identity')
      .where(sql.ref('source_identity'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('credentials_issuer_key')
      .on('credentials')
      .column('issuer_key')
      .execute();
    await db.schema
      .createTable('coverage')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('file_hash', 'text', (c) => c.notNull())
      .addColumn('records', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('coverage_pk', [
        'provider',
        'account',
        'region',
        'hour',
        'file_hash',
      ])
      .execute();
    await db.schema.createIndex('coverage_file').on('coverage').column('file_hash').execute();
  },
};

/** Names for Azure GUID principals, from claims on other events or a directory export. */
const directory: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('directory')
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('seen', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('directory_pk', ['principal_id', 'source'])
      .execute();
    await db.schema.createIndex('directory_name').on('directory').column('name').execute();
    // Every actor id once with its name: identity queries by name (IAM user, UPN) start here.
    await db.schema
      .createTable('actors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('actors_name').on('actors').column('name').execute();
    await db.schema
      .createIndex('stops_instance_name')
      .on('stops')
      .column('instance_name')
      .execute();
    await db.schema
      .createIndex('event_instances_name')
      .on('event_instances')
      .columns(['instance_name', 'time'])
      .where(sql.ref('instance_name'), 'is not', null)
      .execute();
  },
};

/*
 * Instance links indexed by day first. Keyed by instance, every batch landed its links at
 * random places all over the index, so each commit rewrote most of its pages (at a million
 * events, thousands of pages per batch). With the day first, a batch touches only the part
 * of the index for the days it covers; a timeline visits each day present with one seek.
 */
const instanceDays: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('event_instances')
      .addColumn('day', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    // Integer division truncates in both engines, as `Math.trunc` does in `rows.ts`.
    await db
      .updateTable('event_instances')
      .set({ day: sql`time / ${sql.lit(DAY_MS)}` })
      .execute();
    await db.schema.dropIndex('event_instances_uid').execute();
    await db.schema.dropIndex('event_instances_name').execute();
    await db.schema
      .createIndex('event_instances_day_uid')
      .on('event_instances')
      .columns(['day', 'instance_uid', 'time'])
      .execute();
    await db.schema
      .createIndex('event_instances_day_name')
      .on('event_instances')
      .columns(['day', 'instance_name', 'time'])
      .where(sql.ref('instance_name'), 'is not', null)
      .execute();
  },
};

/** Every migration, oldest first. Names sort in order and never change. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_directory': directory,
  '0003_instance_days': instanceDays,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

/**
 * Brings a store's schema to `target` (default: the newest). Safe to call on every open:
 * applied migrations are recorded in the store and skipped.
 *
 * @example
 * await migrateStore(db);
 */
export async function migrateStore(db: Kysely<any>, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const result = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StoreError(`Cannot upgrade the store schema: migration "${failed}" failed`, {
      cause: result.error,
    });
  }
}
