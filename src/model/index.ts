/**
 * @module
 * The evidence model every stage shares: `AuditEvent` (one normalized control-plane
 * action) and `InstanceStop` (one stop of one instance). Shaped after OCSF API Activity so
 * that export is a mapping, not a rewrite.
 */
export * from './event.ts';
export * from './ids.ts';
export * from './name-pattern.ts';
export * from './raw-pointer.ts';
export * from './record-issue.ts';
export * from './safe-text.ts';
export * from './assemble-stops.ts';
