import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RecordIssue } from '../model/index.ts';
import { scanFile } from '../pipeline/scan-file.ts';
import type { ScanFileBatch } from '../pipeline/types.ts';
import { isInputIssue, listInputs } from '../sources/index.ts';
import type { InputFile } from '../sources/index.ts';
import type { Store } from './store.ts';

/** A scan batch, with its coverage counts (records per scope × region × hour). */
export type IngestBatch = ScanFileBatch;

export interface IngestProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly eventsStored: number;
}

export interface IngestOptions {
  /** How a file is read: the real scanner by default (all related events, not just stops). */
  readonly scan?: (file: InputFile) => AsyncIterable<IngestBatch>;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Events gathered from scan batches before one store transaction (default 10,000). */
  readonly eventsPerTransaction?: number;
  /** Issues kept with locations per type; the rest are counted. */
  readonly issuesPerType?: number;
}

export interface IngestSummary {
  readonly filesNew: number;
  /** Files whose content was ingested before (by hash), this run or an earlier one. */
  readonly filesSkipped: number;
  readonly filesFailed: number;
  readonly records: number;
  readonly eventsStored: number;
  readonly credentialsStored: number;
  readonly duplicates: number;
  readonly stopsTouched: number;
  readonly issues: readonly RecordIssue[];
  readonly issueCounts: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

/** SHA-256 of a file's bytes: the same export under another name is the same file. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function defaultScan(file: InputFile): AsyncIterable<IngestBatch> {
  // Coverage: every record read is counted per scope × region × hour, noise included.
  return scanFile(file, { include: 'all', coverage: true });
}

/**
 * Ingests files and directories into a store, resumably: each file is known by its content
 * hash, each batch is one transaction, and a file is marked done only after its last batch,
 * so a run killed at any point and started again ends with the same store as one clean run.
 * Files already done are skipped without being read.
 *
 * @example
 * const summary = await ingestPaths(store, ['./AWSLogs']);
 * console.log(summary.filesNew, summary.eventsStored);
 */
export async function ingestPaths(
  store: Store,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  const scan = options.scan ?? defaultScan;
  const keep = options.issuesPerType ?? 5;
  const issues: RecordIssue[] = [];
  const issueCounts: Record<string, number> = {};
  const addIssue = (issue: RecordIssue): void => {
    issueCounts[issue.type] = (issueCounts[issue.type] ?? 0) + 1;
    if (issueCounts[issue.type]! <= keep) issues.push(issue);
  };
  const files: InputFile[] = [];
  for await (const input of listInputs(paths)) {
    if (isInputIssue(input)) addIssue(input);
    else if (input.path === '-') {
      addIssue({
        type: 'unreadable_file',
        at: { path: '-', index: 0 },
        message:
          'Cannot ingest standard input: save it to a file and ingest that, so a re-run can tell it was done',
      });
    } else files.push(input);
  }
  const totals = {
    filesNew: 0,
    filesSkipped: 0,
    filesFailed: 0,
    records: 0,
    eventsStored: 0,
    credentialsStored: 0,
    duplicates: 0,
    stopsTouched: 0,
  };
  const bytesTotal = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  let bytesRead = 0;
  let filesDone = 0;
  const report = (): void =>
    options.onProgress?.({
      filesDone,
      filesTotal: files.length,
      bytesRead,
      bytesTotal,
      eventsStored: totals.eventsStored,
    });
  for (const file of files) {
    try {
      const size = file.size ?? (await stat(file.path)).size;
      const hash = await hashFile(file.path);
      if ((await store.beginFile({ hash, path: file.path, size })) === 'done') {
        totals.filesSkipped++;
      } else {
        // Scan batches can be small (one read buffer); a transaction per ~10,000 events
        // keeps commit costs down without holding much of a file in memory.
        let pending: IngestBatch[] = [];
        let pendingEvents = 0;
        const flush = async (): Promise<void> => {
          if (pending.length === 0) return;
          const result = await store.putBatch(hash, {
            events: pending.flatMap((b) => b.events),
            records: pending.reduce((sum, b) => sum + b.records, 0),
            coverage: pending.flatMap((b) => b.coverage ?? []),
          });
          totals.eventsStored += result.eventsNew;
          totals.credentialsStored += result.credentialsNew;
          totals.duplicates += result.duplicates;
          totals.stopsTouched += result.stopsTouched;
          for (const b of pending) bytesRead += b.bytesRead;
          pending = [];
          pendingEvents = 0;
          report();
        };
        for await (const batch of scan(file)) {
          totals.records += batch.records;
          for (const issue of batch.issues) addIssue(issue);
          pending.push(batch);
          pendingEvents += batch.events.length;
          if (pendingEvents >= (options.eventsPerTransaction ?? 10_000)) await flush();
        }
        await flush();
        await store.completeFile(hash);
        totals.filesNew++;
      }
    } catch (cause) {
      totals.filesFailed++;
      addIssue({
        type: 'unreadable_file',
        at: { path: file.path, index: 0 },
        message: `Cannot ingest "${file.path}": ${(cause as Error).message}`,
      });
    }
    filesDone++;
    report();
  }
  return { ...totals, issues, issueCounts, elapsedMs: Math.round(performance.now() - started) };
}
