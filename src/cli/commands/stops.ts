import { Command, Option } from 'commander';
import { UsageError } from '../../errors.ts';
import type { EpochMs, OutcomeStatus, ProviderId } from '../../model/index.ts';
import { parseTimeBound } from '../../pipeline/filter.ts';
import type { FilterText } from '../../pipeline/filter.ts';
import { csvLines, ocsfLines, renderStopsTable, stopRecord } from '../../report/index.ts';
import { openStore, storeUrl } from '../../store/open-store.ts';
import { processTerminal, tableTerminal, type TableTerminal } from '../_terminal.ts';
import type { StopAnswer, StopFilter } from '../../store/store.ts';
import type { StoreIo } from './ingest.ts';

export const STOPS_FORMATS = ['table', 'jsonl', 'csv', 'ocsf'] as const;
const PROVIDERS: readonly ProviderId[] = ['aws', 'gcp', 'azure'];
const OUTCOMES: readonly OutcomeStatus[] = [
  'success',
  'failure',
  'accepted',
  'in_progress',
  'unknown',
];

/** The scan filters' text, read here against the store (`--actor` names an identity). */
export interface StopsCommandOptions extends FilterText {
  readonly db?: string;
  readonly format?: string;
  readonly outcome?: string;
  readonly limit?: string;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`Unknown --${option} "${value}": use one of ${allowed.join(', ')}`);
}

/** Checks the command-line text and turns it into a store filter. */
export function parseStopFilter(options: StopsCommandOptions, now: EpochMs): StopFilter {
  const limit = options.limit !== undefined ? Number(options.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(`Cannot read --limit "${options.limit}": use a whole number above 0`);
  }
  const provider = oneOf(options.provider, PROVIDERS, 'provider');
  const outcome = oneOf(options.outcome, OUTCOMES, 'outcome');
  return {
    ...(options.since !== undefined ? { since: parseTimeBound(options.since, 'since', now) } : {}),
    ...(options.until !== undefined ? { until: parseTimeBound(options.until, 'until', now) } : {}),
    ...(provider ? { provider } : {}),
    ...(options.account ? { account: options.account } : {}),
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(outcome ? { outcome } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** The stops in the formats of `scan`; JSON lines also carry the resolved actor. */
export function* renderStops(
  format: string,
  answers: readonly StopAnswer[],
  terminal: Partial<TableTerminal> = {},
): Generator<string> {
  const stops = answers.map((a) => a.stop);
  switch (format) {
    case 'table':
      yield renderStopsTable(stops, { ...terminal, resolved: answers.map((a) => a.resolved) });
      return;
    case 'jsonl':
      for (const { stop, resolved } of answers)
        yield `${JSON.stringify({ ...stopRecord(stop), resolvedActor: resolved })}\n`;
      return;
    case 'csv':
      yield* csvLines(
        stops,
        [],
        answers.map((a) => a.resolved),
      );
      return;
    case 'ocsf':
      yield* ocsfLines(
        stops,
        [],
        answers.map((a) => a.resolved),
      );
      return;
    default:
      throw new UsageError(`Unknown format "${format}": use one of ${STOPS_FORMATS.join(', ')}`);
  }
}

/**
 * `haltwatch stops` without the command line: prints stored stops matching the filters.
 *
 * @example
 * await runStops({ since: '7d', actor: 'alice' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runStops(
  options: StopsCommandOptions,
  io: StoreIo,
  now = Date.now() as EpochMs,
): Promise<number> {
  const format = (options.format ?? 'table').trim().toLowerCase();
  if (!(STOPS_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `Unknown format "${options.format}": use one of ${STOPS_FORMATS.join(', ')}`,
    );
  }
  const filter = parseStopFilter(options, now);
  const store = await openStore(storeUrl(options.db, io.env), { mustExist: true });
  try {
    const answers = await store.queryStops(filter);
    for (const part of renderStops(format, answers, tableTerminal(io))) io.stdout.write(part);
    return 0;
  } finally {
    await store.close();
  }
}

export function stopsCommand(): Command {
  return new Command('stops')
    .description('list the stored VM stops, with filters')
    .option(
      '--db <url>',
      'store: a SQLite file (default ./haltwatch.db, or HALTWATCH_DB) or postgres://…',
    )
    .addOption(
      new Option('--format <format>', `output format: ${STOPS_FORMATS.join(', ')}`).default(
        'table',
      ),
    )
    .option(
      '--since <time>',
      'only stops at or after this time: ISO 8601 or a duration back (7d, 12h)',
    )
    .option('--until <time>', 'only stops at or before this time')
    .option('--provider <cloud>', 'only this cloud: aws, gcp or azure')
    .option('--account <id>', 'only this AWS account, GCP project or Azure subscription')
    .option('--instance <id>', 'only this instance (id or name)')
    .option(
      '--actor <who>',
      'only stops by an identity with this name (whole words, any case, * for any characters), directly or through sessions it opened',
    )
    .option('--outcome <status>', `only this outcome: ${OUTCOMES.join(', ')}`)
    .option('--limit <n>', 'at most this many stops, oldest first')
    .action(async (options: StopsCommandOptions) => {
      process.exitCode = await runStops(options, {
        stdout: process.stdout,
        stderr: process.stderr,
        ...processTerminal(),
      });
    });
}
