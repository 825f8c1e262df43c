import type { IssueType } from '../model/index.ts';
import { formatPointer } from '../model/index.ts';
import type { ScanStats } from '../pipeline/types.ts';
import { terminalSafe } from './_text.ts';

export interface SummaryOptions {
  /** Stops printed after the filters, when they narrowed the output. */
  readonly stopsShown?: number;
  readonly eventsShown?: number;
  /** Issues listed per kind; the rest are counted. */
  readonly examples?: number;
  /** With `--resolve`: what following the stops' identities found, over the stops shown. */
  readonly resolution?: ResolutionCounts;
}

export interface ResolutionCounts {
  /** Credentials handed out in the files read (role assumptions and the like). */
  readonly credentials: number;
  /** Stops whose actor was followed to someone the record itself does not name. */
  readonly traced: number;
  /** Stops where a link was missing: the event that opened the session was not read. */
  readonly missing: number;
}

/** Why a record or file was skipped, in words. Exhaustive over `IssueType`. */
const REASONS: Readonly<Record<IssueType, string>> = {
  unreadable_file: 'unreadable file',
  truncated_gzip: 'truncated gzip',
  binary_data: 'binary data',
  empty_file: 'empty file',
  invalid_json: 'invalid JSON',
  unknown_format: 'not a cloud audit log export',
  wrong_shape: 'JSON of the wrong shape',
  missing_field: 'missing field',
  invalid_field: 'invalid field',
};

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 2 : 1)} MB`;
}

/**
 * The run summary for standard error: what was read, what was found, and what was skipped
 * by reason with where the first few of each kind are, so a user can open the file.
 *
 * @example
 * process.stderr.write(renderSummary(result.stats));
 */
export function renderSummary(stats: ScanStats, options: SummaryOptions = {}): string {
  const lines: string[] = [];
  const decoded =
    stats.bytesDecoded !== stats.bytesRead ? `, ${megabytes(stats.bytesDecoded)} decoded` : '';
  const seconds = (stats.elapsedMs / 1000).toFixed(2);
  lines.push(
    `Read ${count(stats.files, 'file')} (${megabytes(stats.bytesRead)}${decoded}) in ${seconds} s: ` +
      `${count(stats.records, 'record')}, ${count(stats.events, 'event')}, ${count(stats.stops, 'stop')}`,
  );
  if (options.stopsShown !== undefined && options.stopsShown !== stats.stops) {
    lines.push(`Shown after filters: ${count(options.stopsShown, 'stop')}`);
  }
  if (options.eventsShown !== undefined)
    lines.push(`Related events shown: ${options.eventsShown.toLocaleString('en-US')}`);
  const resolution = options.resolution;
  if (resolution !== undefined) {
    lines.push(
      `Identities: ${count(resolution.credentials, 'credential')} handed out in the files read; ` +
        `${count(resolution.traced, 'stop')} traced to who opened the session, ` +
        `${count(resolution.missing, 'stop')} with a link not in the files read`,
    );
  }
  const shapes = Object.entries(stats.shapes).sort(([a], [b]) => (a < b ? -1 : 1));
  if (shapes.length > 0) {
    lines.push(
      `Shapes: ${shapes.map(([shape, n]) => `${shape} ${n.toLocaleString('en-US')}`).join(', ')}`,
    );
  }
  if (stats.filesFailed > 0)
    lines.push(`Files with nothing read: ${stats.filesFailed.toLocaleString('en-US')}`);
  const kinds = Object.entries(stats.issueCounts).filter(([, n]) => n > 0);
  if (kinds.length > 0) {
    const total = kinds.reduce((sum, [, n]) => sum + n, 0);
    lines.push(`Skipped ${count(total, 'record or file', 'records or files')}:`);
    const examples = options.examples ?? 3;
    for (const [type, n] of kinds.sort(([a], [b]) => (a < b ? -1 : 1))) {
      const reason = REASONS[type as IssueType] ?? type;
      lines.push(`  ${reason} (${type}): ${n.toLocaleString('en-US')}`);
      const shown = stats.issues.filter((issue) => issue.type === type).slice(0, examples);
      for (const issue of shown) {
        const field = issue.field ? ` [${issue.field}]` : '';
        lines.push(`    ${formatPointer(issue.at)}${field}: ${issue.message}`);
      }
      if (n > shown.length)
        lines.push(`    … and ${(n - shown.length).toLocaleString('en-US')} more`);
    }
  }
  return `${lines.map(terminalSafe).join('\n')}\n`;
}
