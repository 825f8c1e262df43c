/**
 * @module
 * Output formats for stops and events: a terminal table, JSON lines, CSV (formula-safe)
 * and OCSF API Activity, plus the run summary for standard error.
 */
export * from './describe-actor.ts';
export * from './table.ts';
export * from './jsonl.ts';
export * from './csv.ts';
export * from './ocsf.ts';
export * from './summary.ts';
export { terminalSafe } from './_text.ts';
export { CLOUD_NAMES } from './_cells.ts';
