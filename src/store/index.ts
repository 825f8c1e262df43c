/**
 * @module
 * The evidence store: stops, related events, compact credential links, coverage counts and
 * principal names, in SQLite (default) or PostgreSQL behind one kysely query layer.
 */
export * from './store.ts';
export { openStore, DEFAULT_STORE, type OpenOptions } from './open-store.ts';
export { KyselyStore } from './kysely-store.ts';
export { MIGRATIONS, migrateStore } from './migrations.ts';
