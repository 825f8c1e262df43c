import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { InputFile } from '../sources/types.ts';
import type { ScanTask, WorkerReply } from './scan-worker.ts';
import type { Include, ScanFileBatch } from './types.ts';

export interface PoolHandlers {
  onBatch(index: number, batch: ScanFileBatch): void;
  /** The file could not be scanned at all (the worker threw or died). */
  onFailed(index: number, message: string): void;
  /** The file's last batch has been handed over (not called for a failed file). */
  onDone?(index: number): void;
}

export interface PoolOptions {
  readonly include: Include;
  readonly coverage?: boolean;
  /**
   * Asked before a file is handed to a worker, in the order files are taken: `false` passes
   * it over. A caller that consumes results slower than workers make them holds files back
   * here (backpressure), and can decide there whether a file needs scanning at all.
   */
  readonly admit?: (index: number) => Promise<boolean>;
}

/*
 * Workers must run TypeScript whether the process started as `node --import tsx` or through
 * `bin/haltwatch.js` (tsx `register()`). Loading tsx and compiling every module again in
 * each worker costs about 0.7 s and 50 MB per worker, so the worker's module graph is
 * bundled once per process with esbuild (already what tsx compiles with) into one plain
 * script: about 0.2 s once, then each worker is online in a few tens of milliseconds. If
 * bundling fails, workers fall back to registering tsx themselves.
 */
let bundled: Promise<string> | undefined;

function bundledWorker(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./scan-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  })
    .then((result) => result.outputFiles[0]!.text)
    .catch(() => tsxWorker());
  return bundled;
}

/**
 * Starts bundling the worker script now, so it is ready by the time the inputs are listed
 * (esbuild runs in its own process: the two overlap). Costs nothing if no worker is started.
 */
export function prepareWorkers(): void {
  void bundledWorker();
}

function tsxWorker(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./scan-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/*
 * A new isolate starts with a tiny old generation. Scanning promotes a steady trickle of
 * small objects (stream and promise machinery per chunk), and with the loaded modules'
 * live size V8 then runs a full mark-compact every few tens of milliseconds: on the 1 GB
 * bench tree, 223 of them, about half the worker's time. A larger initial old space takes
 * that to about 20 (7.8 s -> 4.0 s for one worker) for about 15 MB more peak memory. V8
 * reads heap sizes when an isolate is made, so the flag set here applies to the workers
 * started after it, and to nothing already running.
 */
const WORKER_INITIAL_OLD_SPACE_MB = 64;
let heapFlagSet = false;

async function startWorker(): Promise<Worker> {
  if (!heapFlagSet) {
    setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`);
    heapFlagSet = true;
  }
  return new Worker(await bundledWorker(), { eval: true, execArgv: [] });
}

/*
 * Files each worker scans at once: inflating runs on the thread pool, so while one file's
 * next piece is inflated the worker frames another's instead of waiting.
 */
const FILES_PER_WORKER = 3;

/** A worker shared by several lanes; the first lane to see it die replaces it. */
interface Slot {
  worker: Worker;
  replacing?: Promise<void>;
}

async function replace(slot: Slot, dead: Worker): Promise<void> {
  if (slot.worker !== dead) return;
  slot.replacing ??= (async () => {
    await dead.terminate();
    slot.worker = await startWorker();
    slot.replacing = undefined;
  })();
  await slot.replacing;
}

/**
 * Scans whole files on `size` worker threads, each file on one worker and a few files at a
 * time on each, and reports every batch with the index of its file. A worker that dies
 * fails the files it was scanning only; a new one takes over the queue.
 */
export async function scanInWorkers(
  files: readonly InputFile[],
  indexes: readonly number[],
  size: number,
  options: PoolOptions,
  handlers: PoolHandlers,
): Promise<void> {
  const workers = Math.min(size, indexes.length);
  const { include, coverage, admit } = options;
  if (workers === 0) return;
  const slots: Slot[] = [];
  for (let k = 0; k < workers; k++) slots.push({ worker: await startWorker() });
  let next = 0;
  async function lane(slot: Slot): Promise<void> {
    while (next < indexes.length) {
      const index = indexes[next++]!;
      if (admit && !(await admit(index))) continue;
      const worker = slot.worker;
      const ok = await runTask(
        worker,
        { id: index, file: files[index]!, include, ...(coverage ? { coverage } : {}) },
        index,
        handlers,
      );
      if (!ok) await replace(slot, worker);
    }
  }
  const lanes = Math.min(workers * FILES_PER_WORKER, indexes.length);
  try {
    await Promise.all(Array.from({ length: lanes }, (_, k) => lane(slots[k % workers]!)));
  } finally {
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}

function runTask(
  worker: Worker,
  task: ScanTask,
  index: number,
  handlers: PoolHandlers,
): Promise<boolean> {
  return new Promise((resolve) => {
    function cleanup(): void {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    }
    function onMessage(reply: WorkerReply): void {
      if (reply.id !== task.id) return;
      if (reply.type === 'batch') return handlers.onBatch(index, reply.batch);
      cleanup();
      if (reply.type === 'failed') handlers.onFailed(index, reply.message);
      else handlers.onDone?.(index);
      resolve(true);
    }
    function onError(error: Error): void {
      cleanup();
      handlers.onFailed(index, error.message);
      resolve(false);
    }
    function onExit(code: number): void {
      cleanup();
      handlers.onFailed(index, `the scan worker stopped with exit code ${code}`);
      resolve(false);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(task);
  });
}
