import Table from 'cli-table3';
import { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { isoTime, type EpochMs } from '../../model/index.ts';
import { CLOUD_NAMES, PLAIN_TABLE_CHARS, terminalSafe } from '../../report/index.ts';
import { openStore, storeUrl } from '../../store/open-store.ts';
import type { CoverageFilter, CoverageHours, CoverageScope } from '../../store/store.ts';
import type { StoreIo } from './ingest.ts';
import { parseStopFilter } from './stops.ts';

const HOUR = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: HOUR,
  d: 24 * HOUR,
  w: 168 * HOUR,
};
/** Gaps named in the table's row; the list below the table has them all. */
const GAPS_PER_ROW = 3;

export interface CoverageCommandOptions {
  readonly db?: string;
  readonly since?: string;
  readonly until?: string;
  readonly provider?: string;
  readonly account?: string;
  readonly minGap?: string;
  readonly json?: boolean;
}

/** `--min-gap`: a whole number of minutes, hours, days or weeks (`90m`, `2h`, `1d`), in ms. */
export function parseMinGap(text: string): number {
  const match = /^(\d+)\s*([mhdw])$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : 0;
  if (!(ms > 0)) {
    throw new UsageError(
      `Cannot read --min-gap "${text}": use a duration above zero such as 90m, 2h or 1d`,
    );
  }
  return ms;
}

/** Checks the command-line text and turns it into a coverage filter. */
export function parseCoverageFilter(options: CoverageCommandOptions, now: EpochMs): CoverageFilter {
  const { since, until, provider, account } = parseStopFilter(
    {
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      ...(options.account !== undefined ? { account: options.account } : {}),
    },
    now,
  );
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(
      `Cannot report coverage: --since "${options.since}" is after --until "${options.until}"`,
    );
  }
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(account !== undefined ? { account } : {}),
  };
}

/*
 * Account and region names come from the logs: everything printed goes through
 * `terminalSafe`, so nothing in them can steer the terminal.
 */
const safe = terminalSafe;

function hourText(time: number): string {
  return isoTime(time as EpochMs).replace(':00.000Z', 'Z');
}

/** `5h`, `2d 3h`: gaps are whole hours, so a bound such as 90m reads as the 2h it admits. */
export function spanText(ms: number): string {
  const hours = Math.ceil(ms / HOUR);
  const days = Math.floor(hours / 24);
  if (days === 0) return `${hours}h`;
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

function scopeText(s: CoverageScope): string {
  return `${CLOUD_NAMES[s.provider] ?? s.provider} ${safe(s.account)}`;
}

function wideGaps(s: CoverageScope, minGap: number): CoverageHours[] {
  return s.gaps.filter((g) => g.end - g.start >= minGap);
}

/**
 * The coverage as text: one row per scope and region, then every gap of at least `minGap`,
 * longest first. Records of unknown time get their own column.
 *
 * @example
 * process.stdout.write(renderCoverageTable(await store.coverageReport({}), 2 * 3_600_000));
 */
export function renderCoverageTable(scopes: readonly CoverageScope[], minGap: number): string {
  const table = new Table({
    head: [
      'scope',
      'region',
      'first hour',
      'last hour',
      'records',
      'hours covered',
      'no time',
      'largest gaps',
    ],
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 1 },
    chars: PLAIN_TABLE_CHARS,
  });
  const listed: { scope: CoverageScope; gap: CoverageHours }[] = [];
  for (const s of scopes) {
    const gaps = wideGaps(s, minGap);
    for (const gap of gaps) listed.push({ scope: s, gap });
    const spanned =
      s.first !== undefined && s.last !== undefined ? (s.last - s.first) / HOUR + 1 : 0;
    const named = gaps.slice(0, GAPS_PER_ROW).map((g) => spanText(g.end - g.start));
    if (gaps.length > GAPS_PER_ROW) named.push(`+${gaps.length - GAPS_PER_ROW} more`);
    table.push([
      scopeText(s),
      safe(s.region),
      s.first !== undefined ? hourText(s.first) : '-',
      s.last !== undefined ? hourText(s.last) : '-',
      String(s.records),
      `${s.hoursCovered}/${spanned}`,
      String(s.unknownTimeRecords),
      named.length > 0 ? named.join(', ') : '-',
    ]);
  }
  // No padding left at line ends: a pipe or a diff sees only the cells.
  let text = `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
  listed.sort(
    (a, b) => b.gap.end - b.gap.start - (a.gap.end - a.gap.start) || a.gap.start - b.gap.start,
  );
  text += `\n${listed.length} gap${listed.length === 1 ? '' : 's'} of at least ${spanText(minGap)}${listed.length > 0 ? ':' : ''}\n`;
  for (const { scope, gap } of listed) {
    text += `  ${scopeText(scope)} ${safe(scope.region)}  ${hourText(gap.start)} .. ${hourText(gap.end)}  ${spanText(gap.end - gap.start)} without records\n`;
  }
  return text;
}

/** One JSON document: every scope, its gaps of at least `minGap` as ISO `[start, end)`. */
export function coverageJson(scopes: readonly CoverageScope[], minGap: number): string {
  const iso = (t: number | undefined): string | null =>
    t === undefined ? null : isoTime(t as EpochMs);
  return `${JSON.stringify(
    {
      minGapHours: minGap / HOUR,
      scopes: scopes.map((s) => ({
        provider: s.provider,
        account: s.account,
        region: s.region,
        firstHour: iso(s.first),
        lastHour: iso(s.last),
        records: s.records,
        hoursCovered: s.hoursCovered,
        unknownTimeRecords: s.unknownTimeRecords,
        gaps: wideGaps(s, minGap).map((g) => ({
          start: iso(g.start),
          end: iso(g.end),
          hours: (g.end - g.start) / HOUR,
        })),
      })),
    },
    null,
    2,
  )}\n`;
}

/**
 * `haltwatch coverage` without the command line: where the stored logs have holes.
 *
 * @example
 * await runCoverage({ minGap: '6h' }, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCoverage(
  options: CoverageCommandOptions,
  io: StoreIo,
  now = Date.now() as EpochMs,
): Promise<number> {
  const minGap = parseMinGap(options.minGap ?? '2h');
  const filter = parseCoverageFilter(options, now);
  const store = await openStore(storeUrl(options.db, io.env), { mustExist: true });
  try {
    const scopes = await store.coverageReport(filter);
    if (options.json) {
      io.stdout.write(coverageJson(scopes, minGap));
      return 0;
    }
    if (scopes.length === 0) {
      io.stderr.write('haltwatch: no coverage recorded for these filters (ingest logs first)\n');
      return 0;
    }
    io.stdout.write(renderCoverageTable(scopes, minGap));
    return 0;
  } finally {
    await store.close();
  }
}

export function coverageCommand(): Command {
  return new Command('coverage')
    .description('show which hours the stored logs cover per account and region, and the gaps')
    .option(
      '--db <url>',
      'store: a SQLite file (default ./haltwatch.db, or HALTWATCH_DB) or postgres://…',
    )
    .option('--since <time>', 'only hours at or after this time: ISO 8601 or a duration back (7d)')
    .option('--until <time>', 'only hours at or before this time')
    .option('--provider <cloud>', 'only this cloud: aws, gcp or azure')
    .option('--account <id>', 'only this AWS account, GCP project or Azure subscription')
    .option('--min-gap <duration>', 'list gaps at least this long (90m, 2h, 1d)', '2h')
    .option('--json', 'print one JSON document instead of a table')
    .action(async (options: CoverageCommandOptions) => {
      process.exitCode = await runCoverage(options, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
}
