/**
 * @module
 * The scan pipeline: files to documents (sources), documents to events (providers), events
 * to stops (model), on worker threads, with what was read and skipped counted; and the
 * filters the command line applies to the result.
 */
export * from './types.ts';
export { scanPaths, defaultWorkers } from './scan.ts';
export { scanFile, needlesFor } from './scan-file.ts';
export type { DocumentReader, ScanFileOptions } from './scan-file.ts';
export { scanInOrder } from './scan-in-order.ts';
export type { OrderedFile, ScanInOrderOptions } from './scan-in-order.ts';
export { matchesEvent, matchesStop, parseFilter, parseTimeBound } from './filter.ts';
export type { Filter, FilterText } from './filter.ts';
