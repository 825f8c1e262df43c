/**
 * @module
 * Google Cloud audit logs: LogEntry JSON lines (GCS sinks), `gcloud logging read
 * --format=json` arrays, `entries.list` pages and Pub/Sub envelopes, turned into
 * `AuditEvent`s — VM stops, suspends and system stops (guest shutdown, preemption, host
 * error, host maintenance), starts, deletes, instance changes, service-account
 * impersonation and logging configuration changes.
 */
import type { Provider } from '../provider.ts';
import { gcpCoverageKey, gcpRecordCoverageKey } from './coverage-key.ts';
import { allNeedles, stopNeedles } from './method-names.ts';
import { normalize } from './normalize.ts';
import { unwrap } from './unwrap.ts';

export { readActor, serviceAgentOf, EMPTY_AUTHENTICATION_GAP, GOOGLE_SYSTEM } from './actor.ts';
export { meaningOf, stripVersion, stopNeedles, allNeedles } from './method-names.ts';
export type { MethodMeaning, MethodFacts } from './method-names.ts';
export { normalize } from './normalize.ts';
export { readPhase } from './operation-phase.ts';
export { unwrap, looksLikeLogEntry } from './unwrap.ts';
export { openMessage, pubSubShapeOf } from './pubsub.ts';
export { parseResourceName, regionOfZone } from './resource-name.ts';

/**
 * The Google Cloud audit log reader.
 *
 * @example
 * const found = gcpAudit.unwrap(JSON.parse(line), {});
 * if (found?.kind === 'records') for (const r of found.records) gcpAudit.normalize(r, at);
 */
export const gcpAudit: Provider = {
  id: 'gcp',
  name: 'gcp-audit',
  needles: { stops: stopNeedles, all: allNeedles },
  unwrap,
  normalize,
  coverageKey: gcpCoverageKey,
  recordCoverageKey: gcpRecordCoverageKey,
};
export { gcpCoverageKey, gcpRecordCoverageKey } from './coverage-key.ts';
