import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { StoreError } from '../../errors.ts';

/** A PostgreSQL server a test started for itself. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/haltwatch`: a fresh, empty database. */
  readonly url: string;
  /** Makes another empty database on the same server, for tests that need isolation. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Debian installs each major version under `/usr/lib/postgresql/<major>/bin`: take the newest. */
export function findPostgresBin(): string {
  let versions: string[] = [];
  try {
    versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
  } catch {
    // Reported below with what to do.
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new StoreError(
      'Cannot start PostgreSQL for tests: no "/usr/lib/postgresql/*/bin"; run "bash scripts/ensure-test-deps.sh"',
    );
  }
  return `/usr/lib/postgresql/${newest}/bin`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/* initdb and postgres refuse to run as root: run them as Debian's `postgres` user then. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new StoreError(`PostgreSQL exited while starting: ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (cause) {
      if (Date.now() > deadline)
        throw new StoreError(`PostgreSQL did not start within 30 s: ${log()}`, { cause });
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Starts a throwaway PostgreSQL: `initdb` into a temporary directory, a free loopback port,
 * the socket in that directory, durability off (tests only). `stop()` shuts it down and
 * removes the directory; a process that exits without calling it still kills the server.
 *
 * @example
 * const server = await startPostgres();
 * const store = await openStore(server.url);
 * // …
 * await server.stop();
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-pg-'));
  const data = join(dir, 'data');
  const user = runAs();
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const spawnOptions = { ...(user ?? {}), cwd: dir, env: { ...process.env, LC_ALL: 'C' } };
  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      {
        ...spawnOptions,
        stdio: 'pipe',
      },
    );
  } catch (cause) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (cause as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new StoreError(`Cannot initialise a PostgreSQL data directory: ${stderr.trim()}`, {
      cause,
    });
  }
  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...spawnOptions, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT'); // fast shutdown
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${base}/postgres`, child, () => stderr.trim());
  } catch (cause) {
    await stop();
    throw cause;
  }
  const createDatabase = async (name: string): Promise<string> => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name))
      throw new StoreError(
        `Cannot create database "${name}": use lower-case letters, digits and "_"`,
      );
    const client = new pg.Client({ connectionString: `${base}/postgres` });
    await client.connect();
    try {
      await client.query(`create database ${name}`);
    } finally {
      await client.end();
    }
    return `${base}/${name}`;
  };
  const url = await createDatabase('haltwatch');
  return { url, createDatabase, stop };
}
