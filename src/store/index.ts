/**
 * @module
 * The evidence store: stops, related events, compact credential links, coverage counts and
 * principal names, in SQLite (default) or PostgreSQL behind one kysely query layer.
 *
 * Tables (`schema.ts`, created by the versioned migrations in `migrations.ts`):
 * - `files`: one row per content hash, `in_progress` until its last batch is committed.
 * - `events`: every stored event as JSON, keyed by (time, id); `event_instances` links
 *   events to instances (and stop events to their stop key); `activity` records the hours
 *   each actor id or principal acted in; `actors` maps actor ids to names.
 * - `stops`: each `InstanceStop`, re-assembled with `assembleStops` from all stored events
 *   of its key whenever a batch adds one, so phases merge across files and runs.
 * - `credentials`: what role-issuing events leave (key → issuing actor), not the events.
 * - `coverage`: records per provider × account × region × hour × file; `coverageReport`
 *   reads it back as hours covered and gaps per scope (`coverage-query.ts`).
 * - `directory`: principal names from a directory export or from Azure claims.
 *
 * Writes: on SQLite `putBatch` runs through statements prepared once (`sqlite-batch-writer.ts`),
 * on PostgreSQL through kysely (`write-batch.ts`); a property test holds the two to the same
 * rows. Instance links are indexed day first, so a batch only touches its own days' pages.
 *
 * Guarantees: a batch is one transaction; every write is keyed by data (event ids, content
 * hashes) and merges deterministically; a file's coverage is reset when it is started again.
 * So a run killed at any point and started again ends with the rows of one clean run.
 */
export * from './store.ts';
export { openStore, storeUrl, DEFAULT_STORE, type OpenOptions } from './open-store.ts';
export { ingestPaths, hashFile } from './ingest-paths.ts';
export type { IngestBatch, IngestOptions, IngestProgress, IngestSummary } from './ingest-paths.ts';
export { benchStore, benchStores } from './bench-store.ts';
export { benchIngest } from './bench-ingest.ts';
export type { BenchIngestOptions, BenchIngestResult } from './bench-ingest.ts';
export type { BenchStoreOptions, BenchStoreResult } from './bench-store.ts';
export { KyselyStore } from './kysely-store.ts';
export { SqliteBatchWriter } from './sqlite-batch-writer.ts';
export { MIGRATIONS, migrateStore } from './migrations.ts';
