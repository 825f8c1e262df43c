import { SourceError } from '../errors.ts';
import type { InputFile } from '../sources/index.ts';
import { prepareWorkers, scanInWorkers } from './_worker-pool.ts';
import { scanFile } from './scan-file.ts';
import type { Include, ScanFileBatch } from './types.ts';

export interface ScanInOrderOptions<T> {
  readonly include: Include;
  readonly coverage?: boolean;
  /** Worker threads; 0 scans each file in this thread when its turn comes. */
  readonly workers: number;
  /**
   * Decides, once per file and in input order, whether it is scanned: a value admits it
   * (and comes back with its results), `undefined` passes it over. A throw fails the file.
   */
  readonly admit: (file: InputFile) => Promise<T | undefined>;
  /** How a file is scanned in this thread: `scanFile` by default (tests pass their own). */
  readonly scan?: (file: InputFile) => AsyncIterable<ScanFileBatch>;
}

/** One input file's turn: passed over, failed before scanning, or its batches. */
export type OrderedFile<T> =
  | { readonly file: InputFile; readonly kind: 'passed' }
  | { readonly file: InputFile; readonly kind: 'failed'; readonly error: unknown }
  | {
      readonly file: InputFile;
      readonly kind: 'scanned';
      readonly admitted: T;
      /** Throws if the file could not be scanned at all (a worker failed on it). */
      readonly batches: AsyncIterable<ScanFileBatch>;
    };

/*
 * Files scanned ahead of the one being consumed. Results wait in memory until their turn,
 * so the window (with the size cap below) bounds what a slow consumer can pile up.
 */
const AHEAD_PER_WORKER = 4;
/** Files bigger than this are scanned in this thread when their turn comes: streamed, not piled up. */
const WORKER_FILE_MAX = 8 << 20;

/** Batches of one file as they arrive from a worker, read once, in order. */
class Channel {
  readonly #path: string;
  readonly #batches: ScanFileBatch[] = [];
  #ended = false;
  #error: string | undefined;
  #wake: (() => void) | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  push(batch: ScanFileBatch): void {
    this.#batches.push(batch);
    this.#notify();
  }

  end(error?: string): void {
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *read(): AsyncGenerator<ScanFileBatch> {
    for (;;) {
      const batch = this.#batches.shift();
      if (batch !== undefined) {
        yield batch;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) {
          // The worker's own words; whoever reports it names the file.
          throw new SourceError(this.#error, { source: { path: this.#path } });
        }
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

/** A value settled later; the first `resolve` wins, later ones are ignored. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Scans files on worker threads while the caller consumes the results one file at a time,
 * in input order: a store can write file 1 while workers scan files 2 to 9. The caller's
 * `admit` runs first for each file (a store checks the file's hash there, so files already
 * ingested are never scanned). Workers run at most a few files ahead of the consumer, and
 * big files are scanned in this thread at their turn, so memory stays bounded however slow
 * the consumer is. Every file yields exactly one item.
 *
 * @example
 * for await (const item of scanInOrder(files, { include: 'all', workers: 2, admit: async () => true })) {
 *   if (item.kind === 'scanned') for await (const batch of item.batches) write(batch);
 * }
 */
export async function* scanInOrder<T>(
  files: readonly InputFile[],
  options: ScanInOrderOptions<T>,
): AsyncGenerator<OrderedFile<T>> {
  const { include, coverage } = options;
  const workers = Math.max(0, Math.floor(options.workers));
  const local =
    options.scan ??
    ((file: InputFile): AsyncIterable<ScanFileBatch> =>
      scanFile(file, { include, coverage: coverage === true }));
  if (workers === 0) {
    for (const file of files) yield await admitted(file, options.admit, local);
    return;
  }
  prepareWorkers();
  const window = workers * AHEAD_PER_WORKER;
  const turns = files.map(() => deferred<OrderedFile<T>>());
  const channels = new Map<number, Channel>();
  let consumed = 0;
  let stopped = false;
  let wakeAdmission: (() => void) | undefined;
  let admissionChain = Promise.resolve();

  // Admission runs in input order, one file after another, whatever order lanes ask in.
  function admitInOrder(index: number): Promise<boolean> {
    const step = admissionChain.then(async () => {
      while (!stopped && index >= consumed + window) {
        await new Promise<void>((r) => (wakeAdmission = r));
      }
      const file = files[index]!;
      const turn = turns[index]!;
      // The consumer stopped early: nothing more is admitted (a store would mark it begun).
      if (stopped) return false;
      const item = await admitted(file, options.admit, local);
      if (item.kind !== 'scanned' || (file.size ?? Infinity) > WORKER_FILE_MAX) {
        turn.resolve(item);
        return false;
      }
      const channel = new Channel(file.path);
      channels.set(index, channel);
      turn.resolve({ ...item, batches: channel.read() });
      return true;
    });
    admissionChain = step.then(
      () => undefined,
      () => undefined,
    );
    return step;
  }

  const remote = files.map((_, i) => i);
  const pool = scanInWorkers(
    files,
    remote,
    workers,
    { include, ...(coverage ? { coverage } : {}), admit: admitInOrder },
    {
      onBatch: (index, batch) => channels.get(index)?.push(batch),
      onFailed: (index, message) => channels.get(index)?.end(message),
      onDone: (index) => channels.get(index)?.end(),
    },
  );
  // A pool that fails (a worker that cannot start) fails every file still to come rather
  // than leave the consumer waiting on a turn that never comes.
  const poolFailed = pool.then(
    () => undefined,
    (error: unknown) => {
      for (const channel of channels.values()) channel.end(String(error));
      files.forEach((file, index) => turns[index]!.resolve({ file, kind: 'failed', error }));
      return error;
    },
  );
  try {
    for (let index = 0; index < files.length; index++) {
      const item = await turns[index]!.promise;
      yield item;
      channels.delete(index);
      consumed = index + 1;
      const wake = wakeAdmission;
      wakeAdmission = undefined;
      wake?.();
    }
  } finally {
    // Done, or stopped early by the consumer: admit nothing more, let the workers finish
    // the files they hold, and let go of them.
    stopped = true;
    wakeAdmission?.();
    await poolFailed;
  }
}

/** One file through `admit`: passed over, failed, or admitted with in-thread batches. */
async function admitted<T>(
  file: InputFile,
  admit: (file: InputFile) => Promise<T | undefined>,
  local: (file: InputFile) => AsyncIterable<ScanFileBatch>,
): Promise<OrderedFile<T>> {
  try {
    const value = await admit(file);
    if (value === undefined) return { file, kind: 'passed' };
    return { file, kind: 'scanned', admitted: value, batches: local(file) };
  } catch (error) {
    return { file, kind: 'failed', error };
  }
}
