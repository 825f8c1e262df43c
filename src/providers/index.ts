/**
 * @module
 * Cloud audit log readers: each turns its cloud's export shapes into `AuditEvent`s.
 */
export * from './provider.ts';
export * from './registry.ts';
export * from './client-kind.ts';
export * from './coverage-key.ts';
