import { AppError } from '../src/errors.ts';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchTree } from './cloudtrail-tree.ts';
import type { Measurement } from './measure.ts';

export interface ThroughputRow {
  readonly name: string;
  readonly elapsedMs: number;
  readonly mbPerSecond: number;
  readonly recordsPerSecond: number;
  /** Absent for tools run as shell pipelines (their RSS is not measured). */
  readonly maxRssMb?: number;
  /** CPU seconds over every thread and child: the fair figure on a shared machine. */
  readonly cpuSeconds?: number;
  readonly mbPerCpuSecond?: number;
  /** Absent for tools that do not look for stops (decompression only). */
  readonly stops?: number;
  /** Records the tool says it read, when it says (haltwatch). */
  readonly recordsRead?: number;
  readonly skipped?: string;
}

const MEASURE = fileURLToPath(new URL('./measure.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

function cpu(
  tree: BenchTree,
  cpuMs: number | undefined,
): Pick<ThroughputRow, 'cpuSeconds' | 'mbPerCpuSecond'> {
  if (cpuMs === undefined || cpuMs <= 0) return {};
  return { cpuSeconds: cpuMs / 1000, mbPerCpuSecond: tree.bytes / 1e6 / (cpuMs / 1000) };
}

function row(name: string, tree: BenchTree, m: Measurement, withStops: boolean): ThroughputRow {
  const seconds = m.elapsedMs / 1000;
  return {
    name,
    elapsedMs: Math.round(m.elapsedMs),
    mbPerSecond: tree.bytes / 1e6 / seconds,
    recordsPerSecond: tree.records / seconds,
    maxRssMb: m.maxRssMb,
    ...cpu(tree, m.cpuMs),
    ...(withStops ? { stops: m.stops } : {}),
    ...(m.records !== undefined ? { recordsRead: m.records } : {}),
  };
}

/** Runs `bench/measure.ts` in a child process and parses its one JSON line. */
async function measureInChild(args: readonly string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, MEASURE, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Measurement);
      else reject(new AppError(`measure.ts ${args.join(' ')} exited with ${code}`));
    });
  });
}

interface ShellFigures {
  readonly elapsedMs: number;
  readonly lines: number;
  readonly cpuMs?: number;
  readonly maxRssMb?: number;
}

/**
 * Times a shell pipeline over every file; resolves with its stdout line count. Under
 * `/usr/bin/time` when there is one, for CPU time and the largest process's peak RSS.
 */
async function timeShell(
  script: string,
  paths: readonly string[],
  countLines: boolean,
): Promise<ShellFigures> {
  const devNull = openSync('/dev/null', 'w');
  const timeFile = join(tmpdir(), `haltwatch-bench-time-${process.pid}.txt`);
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : 'sh';
  const args = [
    ...(timed ? ['-f', '%U %S %M', '-o', timeFile, 'sh'] : []),
    '-c',
    script,
    'sh',
    ...paths,
  ];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', countLines ? 'pipe' : devNull, 'inherit'],
    });
    let lines = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsedMs = performance.now() - start;
      closeSync(devNull);
      if (code !== 0) return reject(new AppError(`"${script}" exited with ${code}`));
      if (!timed) return resolve({ elapsedMs, lines });
      const [user, system, rssKb] = readFileSync(timeFile, 'utf8')
        .trim()
        .split('\n')
        .pop()!
        .split(' ')
        .map(Number);
      rmSync(timeFile, { force: true });
      resolve({
        elapsedMs,
        lines,
        cpuMs: ((user ?? 0) + (system ?? 0)) * 1000,
        maxRssMb: (rssKb ?? 0) / 1024,
      });
    });
  });
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** The bench installs jq when it is missing, as the issue asks; on failure the row says so. */
function ensureJq(): string | undefined {
  if (hasCommand('jq')) return undefined;
  const installed = spawnSync(
    'sh',
    ['-c', 'apt-get install -y jq || (apt-get update && apt-get install -y jq)'],
    { stdio: 'inherit' },
  );
  return installed.status === 0 && hasCommand('jq')
    ? undefined
    : 'jq is not installed and apt-get could not install it';
}

function shellRow(
  name: string,
  tree: BenchTree,
  figures: ShellFigures,
  stops?: number,
): ThroughputRow {
  const seconds = figures.elapsedMs / 1000;
  return {
    name,
    elapsedMs: Math.round(figures.elapsedMs),
    mbPerSecond: tree.bytes / 1e6 / seconds,
    recordsPerSecond: tree.records / seconds,
    ...(figures.maxRssMb !== undefined ? { maxRssMb: figures.maxRssMb } : {}),
    ...cpu(tree, figures.cpuMs),
    ...(stops !== undefined ? { stops } : {}),
  };
}

/**
 * Every reference and haltwatch on the same files in one run, decompression first (it also
 * warms the page cache so no later tool pays for the disk).
 */
export async function measureScanThroughput(
  tree: BenchTree,
  log: (line: string) => void,
): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  log('measuring: zlib decompression only (1 thread)');
  rows.push(
    row('zlib gunzip only, 1 thread', tree, await measureInChild(['zlib', tree.dir]), false),
  );
  log('measuring: zcat > /dev/null');
  rows.push(shellRow('zcat > /dev/null', tree, await timeShell('zcat "$@"', tree.paths, false)));
  const jqMissing = ensureJq();
  if (jqMissing) {
    rows.push({
      name: 'jq StopInstances filter',
      elapsedMs: 0,
      mbPerSecond: 0,
      recordsPerSecond: 0,
      skipped: jqMissing,
    });
  } else {
    log('measuring: jq filter');
    const jq = await timeShell(
      `zcat "$@" | jq -c '.Records[] | select(.eventName=="StopInstances")'`,
      tree.paths,
      true,
    );
    rows.push(shellRow('zcat | jq StopInstances filter', tree, jq, jq.lines));
  }
  log('measuring: DuckDB read_json, 2 threads');
  rows.push(
    row('DuckDB read_json, 2 threads', tree, await measureInChild(['duckdb', tree.dir, '2']), true),
  );
  log('measuring: DuckDB read_json typed to eventName, 2 threads');
  rows.push(
    row(
      'DuckDB typed to eventName, 2 threads',
      tree,
      await measureInChild(['duckdb', tree.dir, '2', 'typed']),
      true,
    ),
  );
  for (const workers of [1, 2]) {
    log(`measuring: haltwatch scan, ${workers} worker${workers > 1 ? 's' : ''}`);
    rows.push(
      row(
        `haltwatch, ${workers} worker${workers > 1 ? 's' : ''}`,
        tree,
        await measureInChild(['haltwatch', tree.dir, String(workers)]),
        true,
      ),
    );
  }
  // Not a target: what `scan --resolve` costs, reading every role-issuing event as well
  // (about one record in ten of the tree).
  log('measuring: haltwatch scan --resolve, 2 workers');
  rows.push(
    row(
      'haltwatch --resolve, 2 workers',
      tree,
      await measureInChild(['haltwatch', tree.dir, '2', 'identity']),
      true,
    ),
  );
  return rows;
}
