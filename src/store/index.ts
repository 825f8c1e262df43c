/**
 * @module
 * The evidence store: stops, related events, compact credential links, coverage counts and
 * principal names, in SQLite (default) or PostgreSQL behind one kysely query layer.
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
export { MIGRATIONS, migrateStore } from './migrations.ts';
