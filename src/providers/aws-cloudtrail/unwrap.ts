import { safeText } from '../../model/index.ts';
import type { Unwrapped } from '../provider.ts';
import { isObject, type JsonObject } from './_access.ts';

/** The kinds of single record this provider reads; `normalize` dispatches on the same test. */
export type RecordShape =
  'cloudtrail-record' | 'eventbridge' | 'ec2-state-change' | 'lookup-events';

export const STATE_CHANGE = 'EC2 Instance State-change Notification';

/*
 * EventBridge names CloudTrail deliveries "AWS API Call via CloudTrail", "AWS Console
 * Sign In via CloudTrail", "AWS Service Event via CloudTrail": all carry the record in
 * `detail`.
 */
const VIA_CLOUDTRAIL = / via CloudTrail$/;

/** A bare CloudTrail record: an event name and one more field every record has. */
function isCloudTrailRecord(value: JsonObject): boolean {
  return (
    typeof value.eventName === 'string' &&
    ('eventSource' in value || 'eventVersion' in value || 'eventID' in value)
  );
}

function isEventBridge(value: JsonObject): boolean {
  return (
    typeof value['detail-type'] === 'string' &&
    typeof value.source === 'string' &&
    value.source.startsWith('aws.')
  );
}

/**
 * Which single-record shape `value` is, or `undefined` when it is none of this
 * provider's. Cheap: looks at a few keys only.
 *
 * @example
 * recordShape({ EventId: 'x', CloudTrailEvent: '{}' }); // 'lookup-events'
 */
export function recordShape(value: unknown): RecordShape | undefined {
  if (!isObject(value)) return undefined;
  if ('CloudTrailEvent' in value) return 'lookup-events';
  if (isEventBridge(value)) {
    const type = value['detail-type'] as string;
    if (type === STATE_CHANGE) return 'ec2-state-change';
    if (VIA_CLOUDTRAIL.test(type)) return 'eventbridge';
    return undefined;
  }
  return isCloudTrailRecord(value) ? 'cloudtrail-record' : undefined;
}

/** CloudTrail digest files carry hashes of log files, not events. */
function isDigest(value: JsonObject): boolean {
  const keys = ['digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'logFiles'];
  return keys.filter((key) => key in value).length >= 2;
}

/**
 * Recognises a parsed document as CloudTrail and returns the records in it: an S3
 * delivery `{"Records":[…]}`, a `lookup-events` page `{"Events":[…]}` or one of its lines,
 * EventBridge envelopes, bare records (also with Logstash keys) and arrays of any of
 * these. Digest files and EventBridge events that carry no CloudTrail record are ours
 * but `ignored`. Wrappers are returned whole as records, so `normalize` can keep their
 * fields in `unmapped`.
 *
 * @example
 * unwrapCloudTrail({ Records: [] }, {}); // { kind: 'records', shape: 'cloudtrail-s3', records: [] }
 */
export function unwrapCloudTrail(
  doc: unknown,
  hint: { readonly container?: string },
): Unwrapped | undefined {
  if (Array.isArray(doc)) {
    const shape = doc.length > 0 ? recordShape(doc[0]) : undefined;
    return shape ? { kind: 'records', shape, records: doc } : undefined;
  }
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc.Records)) {
    const first: unknown = doc.Records[0];
    if (doc.Records.length === 0 || (isObject(first) && isCloudTrailRecord(first))) {
      return { kind: 'records', shape: 'cloudtrail-s3', records: doc.Records };
    }
    return undefined;
  }
  if (Array.isArray(doc.Events)) {
    const first: unknown = doc.Events[0];
    if (
      doc.Events.length === 0
        ? 'NextToken' in doc || Object.keys(doc).length === 1
        : recordShape(first) === 'lookup-events'
    ) {
      return { kind: 'records', shape: 'lookup-events', records: doc.Events };
    }
    return undefined;
  }
  if (isDigest(doc)) {
    return {
      kind: 'ignored',
      shape: 'cloudtrail-digest',
      reason: 'CloudTrail digest files hold log file hashes for integrity checks, not events',
    };
  }
  const shape = recordShape(doc);
  if (shape === 'cloudtrail-record' && hint.container === 'Records') {
    return { kind: 'records', shape: 'cloudtrail-s3', records: [doc] };
  }
  if (shape) return { kind: 'records', shape, records: [doc] };
  if (isEventBridge(doc)) {
    return {
      kind: 'ignored',
      shape: 'eventbridge',
      reason: `EventBridge "${safeText(doc['detail-type']).slice(0, 80)}" events carry no CloudTrail record`,
    };
  }
  return undefined;
}
