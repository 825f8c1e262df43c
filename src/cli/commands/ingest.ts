import { Command } from 'commander';
import { loadDirectory } from '../../context/directory-file.ts';
import { UsageError } from '../../errors.ts';
import { formatPointer } from '../../model/index.ts';
import { progressBar, type ProgressBar } from '../_progress-bar.ts';
import { parseWorkers } from '../_workers-option.ts';
import { ingestPaths, type IngestProgress, type IngestSummary } from '../../store/ingest-paths.ts';
import { openStore, storeUrl } from '../../store/open-store.ts';

export interface IngestCommandOptions {
  readonly db?: string;
  /** Directory exports (object id / app id → display name), repeatable. */
  readonly directory?: readonly string[];
  readonly quiet?: boolean;
  /** Scan worker threads (`--workers`); by input size when not given. */
  readonly workers?: string | number;
}

export interface StoreIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stderrIsTTY?: boolean;
  /** Standard output is a terminal: tables are cut to fit it, and coloured unless `color` is false. */
  readonly isTTY?: boolean;
  readonly color?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** Progress by bytes, with files done and events stored. */
function ingestBar(io: StoreIo, quiet: boolean): ProgressBar<IngestProgress> {
  return progressBar(
    io,
    quiet,
    'ingest [{bar}] {percentage}% | {files} files | {events} events stored',
    (p) => {
      const total = Math.max(1, p.bytesTotal);
      return {
        value: Math.min(p.bytesRead, total),
        total,
        payload: {
          files: `${p.filesDone}/${p.filesTotal}`,
          events: p.eventsStored.toLocaleString('en-US'),
        },
      };
    },
  );
}

/** The end-of-run summary: files new/skipped, what was stored, what was dropped and why. */
export function renderIngestSummary(summary: IngestSummary, url: string): string {
  const lines = [
    `store: ${url}`,
    `files: ${summary.filesNew} new, ${summary.filesSkipped} already ingested, ${summary.filesFailed} failed`,
    `records: ${summary.records.toLocaleString('en-US')} read; events: ${summary.eventsStored.toLocaleString('en-US')} stored, ${summary.credentialsStored.toLocaleString('en-US')} credential links, ${summary.duplicates.toLocaleString('en-US')} duplicates dropped; stops touched: ${summary.stopsTouched}`,
    `time: ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  ];
  const counts = Object.entries(summary.issueCounts);
  if (counts.length > 0) {
    lines.push(`errors: ${counts.map(([type, n]) => `${n} ${type}`).join(', ')}`);
    for (const issue of summary.issues)
      lines.push(`  ${formatPointer(issue.at)}: ${issue.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `haltwatch ingest` without the command line: returns the exit code (1 when nothing could
 * be ingested, 0 otherwise, even with skipped records).
 *
 * @example
 * process.exitCode = await runIngest(['./AWSLogs'], { db: 'haltwatch.db' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runIngest(
  paths: readonly string[],
  options: IngestCommandOptions,
  io: StoreIo,
): Promise<number> {
  if (paths.length === 0 && (options.directory ?? []).length === 0) {
    throw new UsageError('Nothing to ingest: give at least one file or directory');
  }
  const workers = parseWorkers(options.workers);
  const url = storeUrl(options.db, io.env);
  const store = await openStore(url);
  const quiet = options.quiet === true;
  const bar = ingestBar(io, quiet);
  try {
    for (const path of options.directory ?? []) {
      const parsed = await loadDirectory(path);
      const stored = await store.putDirectory(parsed.entries);
      if (!quiet)
        io.stderr.write(
          `directory: ${stored} principals from "${path}"${parsed.issues.length ? `, ${parsed.issues.length} rows skipped` : ''}\n`,
        );
    }
    if (paths.length === 0) return 0;
    const summary = await ingestPaths(store, paths, {
      onProgress: bar.update,
      ...(workers !== undefined ? { workers } : {}),
    });
    bar.stop();
    if (!quiet) io.stderr.write(renderIngestSummary(summary, url));
    return summary.filesNew + summary.filesSkipped === 0 ? 1 : 0;
  } finally {
    bar.stop();
    await store.close();
  }
}

/**
 * `haltwatch ingest <path...>`.
 *
 * @example
 * program.addCommand(ingestCommand());
 */
export function ingestCommand(): Command {
  return new Command('ingest')
    .description(
      'store the stops and related events of audit log exports, resumably and without duplicates',
    )
    .argument('[path...]', 'files or folders to ingest, any depth')
    .option(
      '--db <url>',
      'store: a SQLite file (default ./haltwatch.db, or HALTWATCH_DB) or postgres://…',
    )
    .option(
      '--directory <file...>',
      'directory export (CSV/JSON of object id / app id → display name) naming Azure principals',
    )
    .option(
      '--workers <n>',
      'threads that scan ahead while the main thread writes (0: scan in the main thread; default: 1 on 2 cores for large inputs)',
    )
    .option('--quiet', 'no summary and no progress on standard error')
    .action(async (paths: string[], options: IngestCommandOptions) => {
      process.exitCode = await runIngest(paths, options, {
        stdout: process.stdout,
        stderr: process.stderr,
        stderrIsTTY: process.stderr.isTTY === true,
      });
    });
}
