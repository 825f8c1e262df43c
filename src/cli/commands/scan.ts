import { Command, Option } from 'commander';
import { progressBar, type ProgressBar } from '../_progress-bar.ts';
import { processTerminal, tableTerminal, type TableTerminal } from '../_terminal.ts';
import { parseWorkers } from '../_workers-option.ts';
import { once } from 'node:events';
import {
  resolveActor,
  tracedBeyondRecord,
  type ResolvedActor,
} from '../../context/identity-chain.ts';
import { MemoryIdentityLookup } from '../../context/memory-identity.ts';
import { UsageError } from '../../errors.ts';
import type { AuditEvent, EpochMs, InstanceStop } from '../../model/index.ts';
import { isStopAction, namePattern } from '../../model/index.ts';
import { matchesEvent, matchesStop, parseFilter } from '../../pipeline/filter.ts';
import type { Filter, FilterText } from '../../pipeline/filter.ts';
import { scanPaths } from '../../pipeline/scan.ts';
import type { ScanProgress, ScanResult } from '../../pipeline/types.ts';
import {
  csvLines,
  jsonLines,
  ocsfLines,
  renderEventsTable,
  renderStopsTable,
  renderSummary,
  type ResolutionCounts,
} from '../../report/index.ts';

export const SCAN_FORMATS = ['table', 'jsonl', 'csv', 'ocsf'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** The options of `haltwatch scan` as the command line gives them: text, checked here. */
export interface ScanCommandOptions extends FilterText {
  /** `table` (the default, on a terminal or not), `jsonl`, `csv` or `ocsf`. */
  readonly format?: string;
  /** Print the related events (starts, changes, role assumptions, …) after the stops. */
  readonly all?: boolean;
  /**
   * Also read the events that issued credentials and follow each role session back to who
   * opened it, as the store does (`who-stopped`), within the files given.
   */
  readonly resolve?: boolean;
  /** Worker threads as typed (`0` scans in the main thread); a number is taken as is. */
  readonly workers?: string | number;
  /** No summary and no progress on standard error; errors are still printed. */
  readonly quiet?: boolean;
}

/**
 * Where a scan writes. `isTTY` is about stdout (tables cut to fit, colours); `stderrIsTTY`
 * turns on the progress bar, and when it is not given, `stderr.isTTY` decides.
 */
export interface ScanIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTTY?: boolean;
  /** Colours on a terminal; off when `NO_COLOR` is set (no-color.org). Default: `isTTY`. */
  readonly color?: boolean;
  readonly stderrIsTTY?: boolean;
  /** The clock `--since 7d` counts back from; tests pin it. */
  readonly now?: () => number;
}

/** Output is written in slices of about this size, waiting for the pipe to drain between. */
const WRITE_SLICE = 1 << 16;

function parseFormat(text: string | undefined): ScanFormat {
  const format = (text ?? 'table').trim().toLowerCase();
  if ((SCAN_FORMATS as readonly string[]).includes(format)) return format as ScanFormat;
  throw new UsageError(`Unknown format "${text}": use one of ${SCAN_FORMATS.join(', ')}`);
}

/** Writes text in slices and waits when the reader is slow, so a large report never piles up in memory. */
async function writeAll(stream: NodeJS.WritableStream, parts: Iterable<string>): Promise<void> {
  let pending = '';
  for (const part of parts) {
    pending += part;
    if (pending.length >= WRITE_SLICE) {
      if (!stream.write(pending)) await once(stream, 'drain');
      pending = '';
    }
  }
  if (pending.length > 0 && !stream.write(pending)) await once(stream, 'drain');
}

function render(
  format: ScanFormat,
  stops: readonly InstanceStop[],
  events: readonly AuditEvent[],
  showEvents: boolean,
  terminal: TableTerminal,
  resolved: readonly ResolvedActor[] | undefined,
): Iterable<string> {
  switch (format) {
    case 'table': {
      const { color, fit } = terminal;
      const parts = [renderStopsTable(stops, { color, fit, resolved })];
      if (showEvents) parts.push(`\nRelated events\n${renderEventsTable(events, { color, fit })}`);
      return parts;
    }
    case 'jsonl':
      return jsonLines(stops, events, resolved);
    case 'csv':
      return csvLines(stops, events, resolved);
    case 'ocsf':
      return ocsfLines(stops, events, resolved);
    default:
      return format satisfies never;
  }
}

/** A progress bar on standard error while files are read; nothing when it is not a terminal. */
/** Progress by bytes (by files for standard input, which has no size). */
function scanBar(io: ScanIo, quiet: boolean): ProgressBar<ScanProgress> {
  return progressBar(
    io,
    quiet,
    'scan [{bar}] {percentage}% | {files} files | {mb} MB | {records} records | {stops} stops',
    (progress) => {
      const bySize = progress.bytesTotal > 0;
      const total = bySize ? progress.bytesTotal : Math.max(1, progress.filesTotal);
      return {
        value: bySize ? Math.min(progress.bytesRead, total) : progress.filesDone,
        total,
        payload: {
          files: `${progress.filesDone}/${progress.filesTotal}`,
          mb: (progress.bytesRead / 1_000_000).toFixed(1),
          records: progress.records.toLocaleString('en-US'),
          stops: progress.stops.toLocaleString('en-US'),
        },
      };
    },
  );
}

/** Why nothing was read, for the one line a user sees when the exit code is 1. */
function nothingRead(paths: readonly string[], result: ScanResult): string | undefined {
  const { stats } = result;
  if (stats.files === 0) {
    return `Nothing to read: no files found in ${paths.map((p) => `"${p}"`).join(', ')}`;
  }
  if (stats.filesFailed < stats.files) return undefined;
  const first = stats.issues[0];
  const why = first ? `; first: ${first.message}` : '';
  return `Nothing could be read: none of the ${stats.files} files given is a CloudTrail, Cloud Audit Logs or Activity Log export that could be opened${why}`;
}

/**
 * The stops the filter keeps, with who really acted behind each when resolving. With
 * `--resolve`, `--actor` also matches the identities the resolution reached (the user who
 * opened the role session), as `stops --actor` does in the store.
 */
async function selectStops(
  result: ScanResult,
  filter: Filter,
  resolve: boolean,
): Promise<{ stops: InstanceStop[]; resolved?: ResolvedActor[] }> {
  if (!resolve) return { stops: result.stops.filter((stop) => matchesStop(stop, filter)) };
  const { actor, ...rest } = filter;
  const candidates = result.stops.filter((stop) => matchesStop(stop, rest));
  const everyone = await resolveStops(result, candidates);
  const who = actor !== undefined ? namePattern(actor) : undefined;
  const keep = candidates.map(
    (stop, k) =>
      who === undefined ||
      matchesStop(stop, filter) ||
      [everyone[k]!.origin, ...everyone[k]!.hops].some((i) => who.test(i.id) || who.test(i.name)),
  );
  return {
    stops: candidates.filter((_, k) => keep[k]),
    resolved: everyone.filter((_, k) => keep[k]),
  };
}

/** With `--all`: every event that is not itself a phase of a stop (those are the stops above). */
function selectEvents(result: ScanResult, filter: Filter): AuditEvent[] {
  return result.events
    .filter((event) => !isStopAction(event.action) && matchesEvent(event, filter))
    .sort((a, b) => a.time - b.time);
}

/** For the summary: what resolution found, over the stops shown. */
function resolutionCounts(
  result: ScanResult,
  stops: readonly InstanceStop[],
  resolved: readonly ResolvedActor[],
): ResolutionCounts {
  const credentials =
    result.links.length + result.events.filter((e) => e.issued?.accessKeyId).length;
  return {
    credentials,
    traced: resolved.filter((r, k) => tracedBeyondRecord(stops[k]!.actor, r)).length,
    missing: resolved.filter((r) => r.missing !== undefined).length,
  };
}

/** Who really acted behind each stop, from the credentials and claims read with them. */
async function resolveStops(
  result: ScanResult,
  stops: readonly InstanceStop[],
): Promise<ResolvedActor[]> {
  const lookup = new MemoryIdentityLookup();
  for (const link of result.links) lookup.addLink(link);
  for (const event of result.events) lookup.add(event);
  return Promise.all(stops.map((stop) => resolveActor(stop.provider, stop.actor, lookup)));
}

/**
 * `haltwatch scan` without the command line around it: reads `paths`, prints the stops (and
 * with `all` the related events) to `io.stdout` and the summary to `io.stderr`, and returns
 * the exit code: 0 when it read what it was given, even with skipped records; 1 when
 * nothing could be read. Usage errors (a bad date, an unknown format) are thrown as
 * `UsageError` before anything is read.
 *
 * @example
 * process.exitCode = await runScan(['./AWSLogs'], { format: 'jsonl' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runScan(
  paths: readonly string[],
  options: ScanCommandOptions,
  io: ScanIo,
): Promise<number> {
  const format = parseFormat(options.format);
  const workers = parseWorkers(options.workers);
  const now = (io.now ?? Date.now)() as EpochMs;
  const filter = parseFilter(options, now);
  if (paths.length === 0)
    throw new UsageError('Nothing to scan: give at least one file, directory or "-"');
  const quiet = options.quiet === true;
  const all = options.all === true;
  const resolve = options.resolve === true;
  const bar = scanBar(io, quiet);
  let result: ScanResult;
  try {
    result = await scanPaths(paths, {
      include: all ? 'all' : resolve ? 'identity' : 'stops',
      ...(workers !== undefined ? { workers } : {}),
      onProgress: bar.update,
    });
  } finally {
    bar.stop();
  }
  const failure = nothingRead(paths, result);
  const { stops, resolved } = await selectStops(result, filter, resolve);
  const events = all ? selectEvents(result, filter) : [];
  if (failure === undefined) {
    await writeAll(io.stdout, render(format, stops, events, all, tableTerminal(io), resolved));
  }
  if (!quiet) {
    io.stderr.write(
      renderSummary(result.stats, {
        stopsShown: stops.length,
        ...(all ? { eventsShown: events.length } : {}),
        ...(resolved ? { resolution: resolutionCounts(result, stops, resolved) } : {}),
      }),
    );
  }
  if (failure !== undefined) {
    io.stderr.write(`haltwatch scan: ${failure}\n`);
    return 1;
  }
  return 0;
}

/**
 * `haltwatch scan <path...>`.
 *
 * @example
 * program.addCommand(scanCommand());
 */
export function scanCommand(): Command {
  return new Command('scan')
    .description(
      'read CloudTrail, Cloud Audit Logs and Activity Log exports (files, folders, .gz, - for stdin) and print the VM stops',
    )
    .argument('<path...>', 'files or folders to read, any depth; "-" reads standard input')
    .addOption(
      new Option(
        '--format <format>',
        `output format: ${SCAN_FORMATS.join(', ')}; table also when piped (choose jsonl, csv or ocsf for machines)`,
      ).default('table'),
    )
    .option(
      '--since <time>',
      'only stops at or after this time: ISO 8601 or a duration back (7d, 12h)',
    )
    .option('--until <time>', 'only stops at or before this time: ISO 8601 or a duration back')
    .option('--provider <cloud>', 'only this cloud: aws, gcp or azure')
    .option('--account <id>', 'only this AWS account, GCP project or Azure subscription')
    .option('--instance <text>', 'only instances whose id or name contains this text')
    .option(
      '--actor <text>',
      'only actors with this name in their id, name, session or chain (whole words, any case, * for any characters)',
    )
    .option(
      '--all',
      'also print the related events: starts, changes, terminations, role assumptions, logging changes',
    )
    .option(
      '--resolve',
      'also read the role-issuing events (AssumeRole, SSO, …) in the files and name who opened each role session ("alice → session"); slower',
    )
    .option('--workers <n>', 'worker threads (0 scans in the main thread; default: up to 2)')
    .option('--quiet', 'no summary and no progress on standard error')
    .action(async (paths: string[], options: ScanCommandOptions) => {
      process.exitCode = await runScan(paths, options, {
        stdout: process.stdout,
        stderr: process.stderr,
        ...processTerminal(),
      });
    });
}
