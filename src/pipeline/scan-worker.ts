/**
 * @module
 * The worker-thread side of a parallel scan: takes whole files, several at a time (each
 * reply names its task, so their batches can interleave), and posts each batch of events
 * and issues back (structured clone). Started by `_worker-pool.ts`.
 */
import { parentPort } from 'node:worker_threads';
import type { InputFile } from '../sources/types.ts';
import { scanFile } from './scan-file.ts';
import type { Include, ScanFileBatch } from './types.ts';

export interface ScanTask {
  /** Echoed in every reply about this task. */
  readonly id: number;
  readonly file: InputFile;
  readonly include: Include;
  /** Count every record per scope × region × hour (`ScanFileOptions.coverage`). */
  readonly coverage?: boolean;
}

export type WorkerReply =
  | { readonly id: number; readonly type: 'batch'; readonly batch: ScanFileBatch }
  | { readonly id: number; readonly type: 'done' }
  | { readonly id: number; readonly type: 'failed'; readonly message: string };

const port = parentPort;
if (port) {
  port.on('message', async (task: ScanTask) => {
    try {
      const options = { include: task.include, coverage: task.coverage === true };
      for await (const batch of scanFile(task.file, options)) {
        port.postMessage({ id: task.id, type: 'batch', batch } satisfies WorkerReply);
      }
      port.postMessage({ id: task.id, type: 'done' } satisfies WorkerReply);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ id: task.id, type: 'failed', message } satisfies WorkerReply);
    }
  });
}
