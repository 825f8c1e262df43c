import { sql, type Kysely } from 'kysely';
import type { CredentialLink } from '../context/identity-chain.ts';
import type { DirectoryEntry } from '../context/directory-file.ts';
import { chunks } from './rows.ts';
import type { Database } from './schema.ts';
import { coverageReportIn } from './coverage-query.ts';
import type {
  Batch,
  CoverageFilter,
  CoverageScope,
  FileInfo,
  FileStart,
  PutBatchResult,
  StopAnswer,
  StopFilter,
  Store,
  StoreCounts,
  Timeline,
  TimelineQuery,
} from './store.ts';
import type { SqliteBatchWriter } from './sqlite-batch-writer.ts';
import { beginFileTx, putBatchTx } from './write-batch.ts';
import {
  credentialOf,
  principalNameOf,
  queryStopsIn,
  timelineIn,
  whoStoppedIn,
} from './read-queries.ts';

/**
 * The one `Store` implementation: every statement goes through kysely, so SQLite and
 * PostgreSQL run the same queries and differ only in the dialect they were opened with.
 */
export class KyselyStore implements Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  readonly #writer: SqliteBatchWriter | undefined;

  /** `writer`: SQLite's prepared-statement batch writer (the same rows, much faster). */
  constructor(db: Kysely<Database>, kind: 'sqlite' | 'postgres', writer?: SqliteBatchWriter) {
    this.#db = db;
    this.kind = kind;
    this.#writer = writer;
  }

  beginFile(file: FileInfo): Promise<FileStart> {
    return beginFileTx(this.#db, file);
  }

  putBatch(fileHash: string, batch: Batch): Promise<PutBatchResult> {
    const writer = this.#writer;
    if (!writer) return putBatchTx(this.#db, fileHash, batch, this.kind);
    // Inside kysely's connection lock: no kysely transaction can be open around this one.
    return this.#db.connection().execute(async () => writer.write(fileHash, batch));
  }

  async completeFile(fileHash: string): Promise<void> {
    await this.#db
      .updateTable('files')
      .set({ status: 'done' })
      .where('hash', '=', fileHash)
      .execute();
  }

  async isFileDone(fileHash: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('files')
      .select('status')
      .where('hash', '=', fileHash)
      .executeTakeFirst();
    return row?.status === 'done';
  }

  async putDirectory(entries: readonly DirectoryEntry[]): Promise<number> {
    // Last entry for an id wins, as in the file.
    const byId = new Map(entries.map((e) => [e.id, e.name]));
    await this.#db.transaction().execute(async (trx) => {
      for (const part of chunks([...byId], 500)) {
        await trx
          .insertInto('directory')
          .values(
            part.map(([id, name]) => ({
              principal_id: id,
              source: 'export' as const,
              name,
              seen: 0,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['principal_id', 'source'])
              .doUpdateSet((eb) => ({ name: eb.ref('excluded.name') })),
          )
          .execute();
      }
    });
    return byId.size;
  }

  credential(accessKeyId: string): Promise<CredentialLink | undefined> {
    return credentialOf(this.#db, accessKeyId);
  }

  principalName(id: string): Promise<string | undefined> {
    return principalNameOf(this.#db, id);
  }

  queryStops(filter: StopFilter): Promise<readonly StopAnswer[]> {
    return queryStopsIn(this.#db, filter, this);
  }

  whoStopped(
    instance: string,
    options: { readonly all?: boolean } = {},
  ): Promise<readonly StopAnswer[]> {
    return whoStoppedIn(this.#db, instance, options.all ?? false, this);
  }

  timeline(query: TimelineQuery): Promise<Timeline> {
    return timelineIn(this.#db, query);
  }

  async counts(): Promise<StoreCounts> {
    const one = async (table: 'files' | 'events' | 'stops' | 'credentials'): Promise<number> => {
      const row = await this.#db
        .selectFrom(table)
        .select(sql<string | number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const coverage = await this.#db
      .selectFrom('coverage')
      .select(sql<string | number | null>`sum(records)`.as('n'))
      .executeTakeFirstOrThrow();
    return {
      files: await one('files'),
      events: await one('events'),
      stops: await one('stops'),
      credentials: await one('credentials'),
      coverageRecords: Number(coverage.n ?? 0),
    };
  }

  coverageReport(filter: CoverageFilter): Promise<readonly CoverageScope[]> {
    return coverageReportIn(this.#db, filter);
  }

  /** For tests and tools that need the raw rows (store comparison, benchmarks). */
  get db(): Kysely<Database> {
    return this.#db;
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
