/**
 * `npm run bench` (`tsx bench/run.ts [--quick]`): scan throughput of haltwatch against the
 * physical floor and the usual tools, on one generated gzipped CloudTrail S3 tree, in one
 * run. Prints a plain table and writes `.bench/results.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBenchTree, type BenchTree } from './cloudtrail-tree.ts';
import { benchIngest } from '../src/store/bench-ingest.ts';
import { benchStores } from '../src/store/bench-store.ts';
import { benchFramingMemory } from './framing/memory.ts';
import { measureScanThroughput, type ThroughputRow } from './scan-throughput.ts';

const BENCH_DIR = fileURLToPath(new URL('../.bench/', import.meta.url));

interface Target {
  readonly label: string;
  readonly value: number;
  readonly goal: string;
  readonly met: boolean;
}

/** What every section gets: the shared tree and a logger for progress on stderr. */
export interface BenchContext {
  readonly quick: boolean;
  readonly tree: BenchTree;
  readonly log: (line: string) => void;
}

/** One part of the benchmark report. Later sections (ingest, store) plug in here. */
export interface BenchSection {
  readonly name: string;
  run(context: BenchContext): Promise<unknown>;
}

/**
 * The framing memory check (`bench/framing/memory.ts`, the sources engineer's): peak RSS
 * while framing a 2 GB JSON array and a 2 GB JSON-lines file (256 MB with `--quick`).
 */
const framingMemory: BenchSection = {
  name: 'framing-memory',
  async run(context) {
    const figures = await benchFramingMemory(context.quick ? { bytes: 256 * 1024 * 1024 } : {});
    for (const f of figures) {
      context.log(
        `  ${f.label}: ${fmt(f.mb)} MB framed in ${f.seconds.toFixed(1)} s, peak RSS ${fmt(f.peakRssMb)} MB`,
      );
    }
    return figures;
  },
};

/** Files → scan → store, and the re-run that skips every file (`src/store/bench-ingest.ts`). */
const ingest: BenchSection = {
  name: 'ingest',
  async run(context) {
    const result = await benchIngest(context.quick ? { records: 50_000 } : {});
    context.log(
      `  ingest into ${result.store}: ${fmt(result.recordsPerSecond)} records/s, re-run ${result.rerunSeconds} s`,
    );
    return result;
  },
};

/** Store writes and queries on SQLite and a throwaway PostgreSQL (`src/store/bench-store.ts`). */
const store: BenchSection = {
  name: 'store',
  async run(context) {
    try {
      const results = await benchStores(context.quick ? { events: 100_000 } : {});
      for (const r of results) {
        context.log(
          `  ${r.store}: ${fmt(r.eventsPerSecond)} events/s stored, timeline median ${r.timelineMs.median} ms`,
        );
      }
      return results;
    } catch (error) {
      // PostgreSQL may be missing on a developer machine: say so rather than fail the run.
      return { skipped: error instanceof Error ? error.message.split('\n')[0] : String(error) };
    }
  },
};

/** The sections after scan throughput, run in this order; a new benchmark plugs in here. */
export const BENCH_SECTIONS: readonly BenchSection[] = [framingMemory, ingest, store];

function fmt(value: number | undefined, digits = 0): string {
  return value === undefined
    ? '-'
    : value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
}

function table(rows: readonly ThroughputRow[]): string {
  const header = [
    'tool',
    'seconds',
    'MB/s',
    'records/s',
    'CPU s',
    'MB/CPU s',
    'peak RSS MB',
    'stops',
  ];
  const body = rows.map((r) =>
    r.skipped
      ? [r.name, '-', '-', '-', '-', '-', '-', `skipped: ${r.skipped}`]
      : [
          r.name,
          fmt(r.elapsedMs / 1000, 2),
          fmt(r.mbPerSecond, 1),
          fmt(r.recordsPerSecond),
          fmt(r.cpuSeconds, 2),
          fmt(r.mbPerCpuSecond, 1),
          fmt(r.maxRssMb),
          r.stops === undefined ? '-' : String(r.stops),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) =>
        i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * Wall-clock ratios are what the targets are about, but on a machine others share they
 * swing with the load; CPU-second ratios show the work each tool does per byte.
 */
function efficiency(rows: readonly ThroughputRow[]): string {
  const one = rows.find((r) => r.name.startsWith('haltwatch, 1'));
  if (!one?.mbPerCpuSecond) return '';
  const lines = rows
    .filter((r) => !r.name.startsWith('haltwatch') && r.mbPerCpuSecond)
    .map(
      (r) =>
        `  haltwatch 1 worker / ${r.name}: ${(one.mbPerCpuSecond! / r.mbPerCpuSecond!).toFixed(2)} per CPU second`,
    );
  return ['work per byte (not a target; steady under load):', ...lines, ''].join('\n');
}

/** Wall-clock ratio of haltwatch with 2 workers to every reference, targets or not. */
function ratios(rows: readonly ThroughputRow[]): string {
  const two = rows.find((r) => r.name.startsWith('haltwatch, 2') && !r.skipped);
  if (!two) return '';
  const lines = rows
    .filter((r) => !r.name.startsWith('haltwatch') && !r.skipped && r.mbPerSecond > 0)
    .map(
      (r) => `  haltwatch 2 workers / ${r.name}: ${(two.mbPerSecond / r.mbPerSecond).toFixed(2)}x`,
    );
  return ['throughput ratios (wall clock, this run):', ...lines, ''].join('\n');
}

function targets(rows: readonly ThroughputRow[]): Target[] {
  const find = (prefix: string): ThroughputRow | undefined =>
    rows.find((r) => r.name.startsWith(prefix) && !r.skipped);
  const two = find('haltwatch, 2');
  const out: Target[] = [];
  if (!two) return out;
  const ratio = (label: string, ref: ThroughputRow | undefined, goal: number): void => {
    if (!ref) return;
    const value = two.mbPerSecond / ref.mbPerSecond;
    out.push({
      label: `haltwatch 2 workers / ${label}`,
      value,
      goal: `>= ${goal}x`,
      met: value >= goal,
    });
  };
  ratio('zlib decompression only', find('zlib'), 0.6);
  // The DuckDB figure (about 420 MB/s) is plain `read_json`; the typed form is
  // printed beside it, with its ratio, but the target is about the former.
  ratio('DuckDB read_json 2 threads', find('DuckDB read_json'), 1.7);
  ratio('jq', find('zcat | jq'), 10);
  for (const r of rows.filter((x) => x.name.startsWith('haltwatch,') && x.maxRssMb !== undefined)) {
    out.push({
      label: `${r.name} peak RSS MB`,
      value: r.maxRssMb!,
      goal: '< 300',
      met: r.maxRssMb! < 300,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const targetBytes = quick ? 100e6 : 1.05e9;
  await mkdir(BENCH_DIR, { recursive: true });
  log(
    `bench tree: ${quick ? '~100 MB (--quick)' : '~1 GB'} of gzipped CloudTrail under .bench/ (built once, then reused)`,
  );
  let lastShown = 0;
  const tree = await ensureBenchTree(
    join(BENCH_DIR, quick ? 'cloudtrail-quick' : 'cloudtrail-1gb'),
    targetBytes,
    (done, total) => {
      if (done - lastShown > total / 10) {
        lastShown = done;
        log(`  generated ${Math.round((100 * done) / total)} %`);
      }
    },
  );
  log(
    `tree: ${tree.files} files, ${fmt(tree.bytes / 1e6)} MB uncompressed (${fmt(tree.compressedBytes / 1e6)} MB gzipped), ${fmt(tree.records)} records, ${tree.stops} stops, ${tree.policyMentions} policy records naming ec2:StopInstances`,
  );

  const rows = await measureScanThroughput(tree, log);
  const warnings: string[] = [];
  for (const r of rows) {
    if (r.stops !== undefined && r.stops !== tree.stops)
      warnings.push(`WARNING: ${r.name} found ${r.stops} stops, the tree holds ${tree.stops}`);
    if (r.recordsRead !== undefined && r.recordsRead !== tree.records) {
      warnings.push(
        `WARNING: ${r.name} read ${r.recordsRead} records, the tree holds ${tree.records}`,
      );
    }
  }
  const goals = targets(rows);
  const context: BenchContext = { quick, tree, log };
  const sections: Record<string, unknown> = {};
  for (const section of BENCH_SECTIONS) {
    log(`section: ${section.name}`);
    sections[section.name] = await section.run(context);
  }

  const out = process.stdout;
  out.write(
    `haltwatch scan benchmark${quick ? ' (--quick)' : ''}: ${tree.files} gzipped CloudTrail files, ${fmt(tree.bytes / 1e6)} MB uncompressed, ${fmt(tree.records)} records, ${tree.stops} stops (${((100 * tree.stops) / tree.records).toFixed(3)} %)\n`,
  );
  out.write(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}\n\n`,
  );
  out.write(`${table(rows)}\n\n`);
  out.write(`${ratios(rows)}\n`);
  out.write(`${efficiency(rows)}\n`);
  if (quick) {
    // On 100 MB, starting the workers (about a quarter of a second) is most of the run.
    out.write(
      'targets (--quick: a check that the bench runs; the targets are about the full 1 GB run, where start-up is a small part):\n',
    );
  }
  for (const t of goals)
    out.write(
      `${t.met ? 'met    ' : 'NOT MET'}  ${t.label}: ${t.value.toFixed(2)} (target ${t.goal})\n`,
    );
  for (const w of warnings) out.write(`${w}\n`);
  for (const [name, value] of Object.entries(sections)) {
    out.write(`\n${name}:\n`);
    for (const item of Array.isArray(value) ? value : [value])
      out.write(`  ${JSON.stringify(item)}\n`);
  }

  const results = {
    date: new Date().toISOString(),
    quick,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    tree: { ...tree, paths: undefined },
    rows,
    targets: goals,
    warnings,
    sections,
  };
  await writeFile(join(BENCH_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`written: .bench/results.json`);
}

await main();
