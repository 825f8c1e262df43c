/**
 * @module
 * AWS CloudTrail reader: S3 deliveries, bare and Logstash-forwarded records, EventBridge
 * envelopes, `aws cloudtrail lookup-events` output and EC2 state-change notifications,
 * turned into `AuditEvent`s. Digest files are recognised and counted, not read.
 */
import type { Provider } from '../provider.ts';
import { cloudTrailCoverageKey, cloudTrailRecordCoverageKey } from './coverage-key.ts';
import { EVENT_NAMES } from './event-names.ts';
import { normalizeCloudTrail } from './normalize.ts';
import { unwrapCloudTrail } from './unwrap.ts';

/*
 * Needles start with a quote so `"ec2:StopInstances"` in an IAM policy document does not
 * match, and do not end with one so the escaped form inside a lookup-events
 * `CloudTrailEvent` string (`\"StopInstances\"`) still does.
 */
const STOP_NEEDLES = ['"StopInstances'];
/** The stops, and the events that hand out the temporary keys role sessions act with. */
const IDENTITY_NEEDLES = [
  ...STOP_NEEDLES,
  ...Object.entries(EVENT_NAMES)
    .filter(([, meaning]) => meaning.kind === 'credentials')
    .map(([name]) => `"${name}`),
];
const ALL_NEEDLES = [
  ...Object.keys(EVENT_NAMES).map((name) => `"${name}`),
  'Instance State-change Notification',
];

export const awsCloudTrail: Provider = {
  id: 'aws',
  name: 'aws-cloudtrail',
  needles: { stops: STOP_NEEDLES, identity: IDENTITY_NEEDLES, all: ALL_NEEDLES },
  unwrap: unwrapCloudTrail,
  normalize: normalizeCloudTrail,
  coverageKey: cloudTrailCoverageKey,
  recordCoverageKey: cloudTrailRecordCoverageKey,
};

export { normalizeCloudTrail } from './normalize.ts';
export { unwrapCloudTrail, recordShape, type RecordShape } from './unwrap.ts';
export { EVENT_NAMES, mappedEventName, type MappedEventName } from './event-names.ts';
export { readActor } from './actor.ts';
export { readSource } from './source-endpoint.ts';
export { cloudTrailCoverageKey, cloudTrailRecordCoverageKey } from './coverage-key.ts';
