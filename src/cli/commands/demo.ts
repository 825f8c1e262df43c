import { Command, InvalidArgumentError } from 'commander';
import { access } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  DEMO_DEFAULTS,
  DEMO_LOGS,
  generateDemo,
  readDemoManifest,
  type DemoManifest,
} from '../../demo/index.ts';
import { processTerminal } from '../_terminal.ts';
import { runScan, type ScanIo } from './scan.ts';

/** Where output goes: the same as a scan's, so the demo shows exactly what a scan shows. */
export type DemoIo = ScanIo;

export interface DemoCommandOptions {
  readonly dir: string;
  readonly seed: number;
  /** Noise multiplier (default 1); the stories stay the same. */
  readonly scale?: number;
  /** Write the data again even when a matching set is already there. */
  readonly regenerate?: boolean;
}

type Scan = (paths: string[], io: DemoIo) => Promise<number>;

function parseScale(value: string): number {
  const scale = Number(value);
  if (!(scale > 0 && scale <= 1000))
    throw new InvalidArgumentError('use a number above 0 and at most 1000');
  return scale;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed) || seed > 0xffffffff) {
    throw new InvalidArgumentError('use an integer from 0 to 4294967295');
  }
  return seed;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The manifest already in `dir` when it was written with the same settings. */
async function reusable(
  dir: string,
  seed: number,
  scale: number,
): Promise<DemoManifest | undefined> {
  const previous = await readDemoManifest(dir);
  const same =
    previous?.seed === seed && previous.month === DEMO_DEFAULTS.month && previous.scale === scale;
  return same && (await exists(join(dir, previous.logs))) ? previous : undefined;
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const CLOUD_NAMES: Readonly<Record<string, string>> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' };

/** One aligned line per suspicious operation: when, where, what, who, from where, outcome. */
function plantedStories(manifest: DemoManifest): string[] {
  const operations = new Map<string, DemoManifest['stops'][number][]>();
  for (const stop of manifest.stops) {
    if (!stop.suspicious) continue;
    const list = operations.get(stop.operationId) ?? [];
    operations.set(stop.operationId, list);
    list.push(stop);
  }
  const rows = [...operations.values()].map((stops) => {
    const first = stops[0]!;
    const names = stops.map((s) => s.instanceName);
    const what = names.length > 3 ? `${names.length} instances (${names[0]}, …)` : names.join(', ');
    // The caller behind an impersonated service account comes first: that is who acted.
    const short = (id: string): string => id.replace('.iam.gserviceaccount.com', '');
    const who =
      first.actor.type === 'service_account' && first.actor.chain.length > 0
        ? `${first.actor.chain.map(short).join(' → ')} → ${short(first.actor.id ?? '')}`
        : `${first.origin ? `${first.origin} → ` : ''}${first.actor.name ?? first.actor.id ?? 'no caller'}`;
    return [
      first.time.slice(0, 16).replace('T', ' '),
      CLOUD_NAMES[first.cloud] ?? first.cloud,
      `${first.action.replace('instance.', '')} ${what}`,
      who,
      first.sourceIp ?? '',
      first.outcome,
      first.story.replace('suspicious-', ''),
    ];
  });
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]!.length))) ?? [];
  return rows.map((row) =>
    row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  '),
  );
}

/**
 * Generates the demo month (or reuses it) and scans it with the same code as
 * `haltwatch scan`, then says what the generator put in, so a new user can check the
 * result against the truth. Returns the exit code.
 *
 * @example
 * process.exitCode = await runDemo({ dir: './demo-data', seed: 20891 }, process);
 */
export async function runDemo(
  options: DemoCommandOptions,
  io: DemoIo,
  // `--resolve`: the month's AssumeRole calls name who opened each role session.
  scan: Scan = (paths, out) => runScan(paths, { resolve: true }, out),
): Promise<number> {
  const dir = resolve(options.dir);
  const scale = options.scale ?? DEMO_DEFAULTS.scale;
  const shown = relative(process.cwd(), dir) || '.';
  let manifest = options.regenerate ? undefined : await reusable(dir, options.seed, scale);
  const reused = manifest !== undefined;
  if (!manifest) {
    io.stderr.write(`Generating demo data in ${shown}/ (seed ${options.seed})...\n`);
    manifest = await generateDemo(dir, { seed: options.seed, scale });
  }
  const logs = join(dir, manifest.logs ?? DEMO_LOGS);
  io.stderr.write(
    `haltwatch demo: ${monthName(manifest.month)} of AWS CloudTrail, Google Cloud Audit Logs and Azure Activity Log ` +
      `exports, ${total(manifest.files).toLocaleString('en-US')} files and ${total(manifest.records).toLocaleString('en-US')} ` +
      `records in ${relative(process.cwd(), logs) || '.'}/${reused ? ' (reused; --regenerate writes it again)' : ''}\n\n`,
  );
  const code = await scan([logs], io);
  const planted = plantedStories(manifest);
  io.stderr.write(
    `\nThe generator wrote ${manifest.stops.length} stops. The ones planted to look suspicious:\n` +
      planted.map((line) => `  ${line}\n`).join('') +
      `Ground truth: ${shown}/manifest.json. Context it implies: ${shown}/context.yaml.\n` +
      `Scan your own exports with: haltwatch scan <file or folder...>\n`,
  );
  return code;
}

/**
 * `haltwatch demo [--dir D] [--seed N] [--regenerate]`: the first command of the README.
 *
 * @example
 * program.addCommand(demoCommand());
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('generate a month of multi-cloud audit logs with known VM stops, then scan it')
    .option('--dir <dir>', 'where to write the demo data', './demo-data')
    .option(
      '--seed <n>',
      'generator seed: the same seed writes the same files',
      parseSeed,
      DEMO_DEFAULTS.seed,
    )
    .option(
      '--scale <n>',
      'noise multiplier: 0.1 for a tiny month, 10 for a busy one',
      parseScale,
      DEMO_DEFAULTS.scale,
    )
    .option('--regenerate', 'write the data again even when it is already there')
    .action(async (options: { dir: string; seed: number; scale: number; regenerate?: boolean }) => {
      // Errors go up to the one handler in main.ts, which turns them into exit codes.
      process.exitCode = await runDemo(options, {
        stdout: process.stdout,
        stderr: process.stderr,
        ...processTerminal(),
      });
    });
}
