import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { StoreError, UsageError } from '../errors.ts';
import { KyselyStore } from './kysely-store.ts';
import { migrateStore } from './migrations.ts';
import { SqliteBatchWriter } from './sqlite-batch-writer.ts';
import type { Database } from './schema.ts';

/** Where `--db` and `HALTWATCH_DB` point when neither is given. */
export const DEFAULT_STORE = './haltwatch.db';

/** `--db`, else `HALTWATCH_DB`, else `./haltwatch.db`. */
export function storeUrl(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return option ?? env.HALTWATCH_DB ?? DEFAULT_STORE;
}

export interface OpenOptions {
  /** Migrate only up to this migration (tests of upgrades); default: the newest. */
  readonly migrateTo?: string;
  /**
   * A SQLite file that does not exist yet is an error, not a new empty store: what the
   * query commands want, where a mistyped `--db` would otherwise answer "no stops".
   */
  readonly mustExist?: boolean;
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/i, '');
}

function openSqlite(path: string): { db: Kysely<Database>; database: BetterSqlite3.Database } {
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(path);
  } catch (cause) {
    throw new StoreError(`Cannot open SQLite store "${path}": ${(cause as Error).message}`, {
      source: { path },
      cause,
    });
  }
  // Events are ~1 KB rows: 8 KB pages hold seven with little slack where 4 KB held three and
  // wasted a fifth (measured +10-15% ingest). Only takes effect on a new file.
  database.pragma('page_size = 8192');
  // WAL: readers never block the ingest; NORMAL sync is safe against a killed process.
  database.pragma('journal_mode = WAL');
  // A checkpoint (and its fsyncs) every ~64 MB of WAL, not after nearly every batch; pages
  // rewritten by several batches (index pages, the current day) are copied back once.
  database.pragma('wal_autocheckpoint = 16384');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 10000');
  database.pragma('cache_size = -262144');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingStatements(database) }),
  });
  return { db, database };
}

/*
 * kysely prepares every statement anew; batches repeat the same few statements, so keep
 * the prepared ones (bounded: the oldest is dropped first).
 */
function cachingStatements(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = database.prepare.bind(database);
  return Object.assign(Object.create(database) as BetterSqlite3.Database, {
    close: () => database.close(),
    prepare(source: string) {
      let statement = cache.get(source);
      if (statement) return statement;
      statement = prepare(source);
      cache.set(source, statement);
      if (cache.size > 64) cache.delete(cache.keys().next().value!);
      return statement;
    },
  });
}

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle connection the server closes (restart, admin shutdown) is dropped by the pool;
  // without a listener node would treat it as an uncaught error. Queries still report theirs.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens (creating when needed) the store a URL names: `postgres://…` for PostgreSQL,
 * anything else is a SQLite file path. The schema is upgraded to the newest version.
 *
 * @example
 * const store = await openStore(process.env.HALTWATCH_DB ?? DEFAULT_STORE);
 */
export async function openStore(
  url: string = DEFAULT_STORE,
  options: OpenOptions = {},
): Promise<KyselyStore> {
  const postgres = isPostgresUrl(url);
  if (!postgres && options.mustExist && !existsSync(sqlitePath(url))) {
    throw new UsageError(
      `No store at "${sqlitePath(url)}": ingest logs into it first (haltwatch ingest <path...> --db ${sqlitePath(url)}), or name the store with --db or HALTWATCH_DB`,
    );
  }
  const sqlite = postgres ? undefined : openSqlite(sqlitePath(url));
  const db = sqlite?.db ?? openPostgres(url);
  try {
    await migrateStore(db, options.migrateTo);
  } catch (cause) {
    await db.destroy();
    if (cause instanceof StoreError) throw cause;
    const where = postgres ? 'PostgreSQL store' : `SQLite store "${sqlitePath(url)}"`;
    throw new StoreError(`Cannot open ${where}: ${(cause as Error).message}`, { cause });
  }
  return sqlite
    ? new KyselyStore(db, 'sqlite', new SqliteBatchWriter(sqlite.database))
    : new KyselyStore(db, 'postgres');
}
