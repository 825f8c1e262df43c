import { UsageError } from '../errors.ts';

/** More threads than this is a typo, not a machine. */
const MAX_WORKERS = 64;

/**
 * The `--workers <n>` text of `scan` and `ingest`: a whole number, 0 meaning the main
 * thread; `undefined` when not given (the command picks by input size).
 *
 * @example
 * parseWorkers('2'); // 2
 */
export function parseWorkers(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_WORKERS) {
    throw new UsageError(
      `Cannot read --workers "${value}": use a whole number from 0 (scan in the main thread) to ${MAX_WORKERS}`,
    );
  }
  return n;
}
