import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AuditEvent, RecordIssue } from '../model/index.ts';
import { assembleStops, isStopAction } from '../model/index.ts';
import type { InputFile } from '../sources/index.ts';
import { isInputIssue, listInputs } from '../sources/index.ts';
import { prepareWorkers, scanInWorkers } from './_worker-pool.ts';
import { keepsEvent } from './include.ts';
import type { CredentialLink } from '../context/identity-chain.ts';
import { scanFile } from './scan-file.ts';
import type { ScanFileBatch, ScanOptions, ScanResult, ScanStats } from './types.ts';

/** Issues kept with their locations per kind; the rest are only counted. */
const ISSUES_KEPT = 5;

/** What one file gave, kept apart per file so the merged result follows the input order. */
interface FileResult {
  readonly events: AuditEvent[];
  readonly links: CredentialLink[];
  readonly issues: RecordIssue[];
  readonly issueCounts: Record<string, number>;
  readonly shapes: Record<string, number>;
  records: number;
  bytesRead: number;
  bytesDecoded: number;
  done: boolean;
}

function emptyResult(): FileResult {
  return {
    events: [],
    links: [],
    issues: [],
    issueCounts: {},
    shapes: {},
    records: 0,
    bytesRead: 0,
    bytesDecoded: 0,
    done: false,
  };
}

function addIssue(issues: RecordIssue[], counts: Record<string, number>, issue: RecordIssue): void {
  const seen = counts[issue.type] ?? 0;
  counts[issue.type] = seen + 1;
  if (seen < ISSUES_KEPT) issues.push(issue);
}

function addBatch(result: FileResult, batch: ScanFileBatch): void {
  for (const event of batch.events) result.events.push(event);
  for (const link of batch.links ?? []) result.links.push(link);
  for (const issue of batch.issues) addIssue(result.issues, result.issueCounts, issue);
  for (const [shape, n] of Object.entries(batch.shapes ?? {}))
    result.shapes[shape] = (result.shapes[shape] ?? 0) + n;
  result.records += batch.records;
  result.bytesRead += batch.bytesRead;
  result.bytesDecoded += batch.bytesDecoded;
}

function failedFile(file: InputFile, message: string): RecordIssue {
  return {
    type: 'unreadable_file',
    at: { path: file.path, index: 0 },
    message: `Cannot scan "${file.path}": ${message}`,
  };
}

/** Every input behind the paths, and the paths that could not be read; `onFile` sees each file as it is listed. */
async function listAll(
  paths: readonly string[],
  onFile: (file: InputFile) => void,
): Promise<{ files: InputFile[]; issues: RecordIssue[] }> {
  const files: InputFile[] = [];
  const issues: RecordIssue[] = [];
  for await (const input of listInputs(paths)) {
    if (isInputIssue(input)) issues.push(input);
    else {
      files.push(input);
      onFile(input);
    }
  }
  return { files, issues };
}

/*
 * Files scanned at once in this thread. Inflating runs on libuv's thread pool, so while one
 * file's next piece is being inflated another's can be framed: with one file at a time this
 * thread waited on zlib a third of the time. Each file's results are kept apart and merged
 * in input order, so the output does not depend on this.
 */
const LOCAL_FILES_AT_ONCE = 3;

/** Runs `task` over `items` with at most `limit` running at a time. */
async function inTurn(
  items: readonly number[],
  limit: number,
  task: (item: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) await task(items[next++]!);
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/*
 * Below about this much JSON, starting workers (bundling their script, about 0.1 s, then
 * starting and warming each) costs more than it saves: on the 100 MB bench tree one thread
 * takes 0.20 s and two workers 0.36 s; on the 1 GB tree 1.5 s against 1.1 s.
 */
const SMALL_INPUT = 400 * 1024 * 1024;
/** Gzip'd audit JSON on disk is about a twelfth of what it inflates to (the bench tree: 14). */
const GZIP_EXPANSION = 12;

/** The JSON a file probably holds: its size, times the usual expansion for a `.gz` name. */
function expectedBytes(file: InputFile): number {
  const size = file.size ?? 0;
  return /\.gz$/i.test(file.path) ? size * GZIP_EXPANSION : size;
}

/**
 * Default worker count: two threads at most, the benchmark's measured sweet spot on 2 cores,
 * and none for one file or a small input, since files are never split between workers.
 * `small` is the input below which workers do not pay: a caller that does more per byte
 * than a stop scan (ingest normalizes every related event) passes a lower one.
 */
export function defaultWorkers(files: readonly InputFile[] = [], small = SMALL_INPUT): number {
  const bytes = files.reduce((sum, f) => sum + expectedBytes(f), 0);
  return workersFor(files.length, bytes, small);
}

/** `defaultWorkers` for `count` files holding about `bytes` of JSON. */
function workersFor(count: number, bytes: number, small: number): number {
  if (count > 0 && (count === 1 || bytes < small)) return 0;
  return Math.min(2, availableParallelism());
}

/**
 * Scans files, directories (recursively), `.gz` files and standard input (`-`) and returns
 * the events, the assembled stops and what was read and skipped. Files are scanned whole on
 * `workers` threads (0: in this thread); standard input is always read in this thread. The
 * result does not depend on the number of workers: it follows the order of the inputs.
 *
 * @example
 * const { stops, stats } = await scanPaths(['./AWSLogs'], { include: 'stops' });
 */
export async function scanPaths(
  paths: readonly string[],
  options: ScanOptions,
): Promise<ScanResult> {
  const started = performance.now();
  // The worker script is bundled while the inputs are listed, once it is clear workers
  // will run: at once when asked for, else when the input listed so far is big enough.
  // A small scan (the usual one) never starts the bundler.
  if (options.workers !== undefined && options.workers > 0) prepareWorkers();
  let listedCount = 0;
  let listedBytes = 0;
  const listed = await listAll(paths, (file) => {
    if (options.workers !== undefined) return;
    listedCount += 1;
    listedBytes += expectedBytes(file);
    if (workersFor(listedCount, listedBytes, SMALL_INPUT) > 0) prepareWorkers();
  });
  const files = listed.files;
  const results = files.map(emptyResult);
  const bytesTotal = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const progress = { filesDone: 0, bytesRead: 0, records: 0, stops: 0 };

  function report(): void {
    options.onProgress?.({ ...progress, filesTotal: files.length, bytesTotal });
  }
  function onBatch(index: number, batch: ScanFileBatch): void {
    addBatch(results[index]!, batch);
    progress.bytesRead += batch.bytesRead;
    progress.records += batch.records;
    progress.stops += batch.events.filter((e) => isStopAction(e.action)).length;
    report();
  }
  function onDone(index: number): void {
    results[index]!.done = true;
    progress.filesDone += 1;
    report();
  }
  function onFailed(index: number, message: string): void {
    addIssue(
      results[index]!.issues,
      results[index]!.issueCounts,
      failedFile(files[index]!, message),
    );
  }

  async function scanHere(index: number): Promise<void> {
    try {
      for await (const batch of scanFile(files[index]!, { include: options.include }))
        onBatch(index, batch);
    } catch (error) {
      onFailed(index, error instanceof Error ? error.message : String(error));
    }
    onDone(index);
  }

  report();
  const workers = Math.max(0, Math.floor(options.workers ?? defaultWorkers(files)));
  const all = files.map((_, i) => i);
  // Standard input belongs to this thread; a worker cannot read it.
  const local = workers === 0 ? all : all.filter((i) => files[i]!.path === '-');
  const remote = workers === 0 ? [] : all.filter((i) => files[i]!.path !== '-');
  await Promise.all([
    inTurn(local, LOCAL_FILES_AT_ONCE, scanHere),
    scanInWorkers(
      files,
      remote,
      workers,
      { include: options.include },
      {
        onBatch,
        onFailed: (index, message) => onFailed(index, message),
        onDone,
      },
    ).then(() => undefined),
  ]);
  for (const index of remote) if (!results[index]!.done) onDone(index);

  return merge(files, results, listed.issues, options.include, performance.now() - started);
}

function merge(
  files: readonly InputFile[],
  results: readonly FileResult[],
  listIssues: readonly RecordIssue[],
  include: ScanOptions['include'],
  elapsedMs: number,
): ScanResult {
  const events: AuditEvent[] = [];
  const links = new Map<string, CredentialLink>();
  const seen = new Set<string>();
  const issues: RecordIssue[] = [];
  const issueCounts: Record<string, number> = {};
  const shapes: Record<string, number> = {};
  for (const issue of listIssues) addIssue(issues, issueCounts, issue);
  let records = 0;
  let bytesRead = 0;
  let bytesDecoded = 0;
  let filesFailed = listIssues.length;
  for (const result of results) {
    for (const event of result.events) {
      // The same record read twice (overlapping exports) is one event.
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      if (keepsEvent(include, event)) events.push(event);
    }
    // A key is handed out once: the first file to name it wins, whatever the worker count.
    for (const link of result.links)
      if (!links.has(link.accessKeyId)) links.set(link.accessKeyId, link);
    for (const [type, count] of Object.entries(result.issueCounts)) {
      const kept = result.issues.filter((issue) => issue.type === type);
      const room = Math.max(0, ISSUES_KEPT - (issueCounts[type] ?? 0));
      issues.push(...kept.slice(0, room));
      issueCounts[type] = (issueCounts[type] ?? 0) + count;
    }
    for (const [shape, n] of Object.entries(result.shapes))
      shapes[shape] = (shapes[shape] ?? 0) + n;
    if (Object.keys(result.shapes).length === 0) filesFailed += 1;
    records += result.records;
    bytesRead += result.bytesRead;
    bytesDecoded += result.bytesDecoded;
  }
  // Time order, ties in input order (a stable sort): the same for every worker count.
  events.sort((a, b) => a.time - b.time);
  const stops = assembleStops(events);
  const stats: ScanStats = {
    files: files.length + listIssues.length,
    filesFailed,
    records,
    bytesRead,
    bytesDecoded,
    events: events.length,
    stops: stops.length,
    issues,
    issueCounts,
    shapes,
    elapsedMs,
  };
  return { events, stops, stats, links: [...links.values()] };
}
