import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from './postgres-server.ts';

/** A way to get empty stores of one kind, for running one suite against every engine. */
export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  setup(): Promise<void>;
  /** A URL for a new, empty store. */
  fresh(): Promise<string>;
  teardown(): Promise<void>;
}

export function sqliteBackend(): Backend {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'haltwatch-sqlite-'));
    },
    async fresh() {
      return join(dir, `store-${++n}.db`);
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  let server: PostgresServer | undefined;
  let n = 0;
  return {
    name: 'postgres',
    async setup() {
      server = await startPostgres();
    },
    async fresh() {
      return server!.createDatabase(`t${++n}`);
    },
    async teardown() {
      await server?.stop();
    },
  };
}

export const backends: readonly (() => Backend)[] = [sqliteBackend, postgresBackend];
