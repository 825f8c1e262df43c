import type { CoverageKey } from '../coverage-key.ts';
import { hourOf, keyPattern, plainValue, stringsAt, UNKNOWN_KEY } from '../coverage-key.ts';
import { isObject, type JsonObject } from './_access.ts';

const KEYS = ['eventTime', 'recipientAccountId', 'awsRegion'].map((key) => ({
  pattern: keyPattern(key),
  required: true,
}));

/**
 * The coverage key of one CloudTrail record read from its bytes, without parsing: each of
 * `eventTime`, `recipientAccountId` and `awsRegion` must be a member of the record, once,
 * as a plain string.
 * Anything else (an EventBridge state change, a `lookup-events` line whose record is an
 * escaped string, a key repeated in nested parameters) is `undefined`: parse it instead.
 *
 * @example
 * cloudTrailCoverageKey(Buffer.from('{"eventTime":"2024-08-01T12:03:30Z","awsRegion":"eu-west-1","recipientAccountId":"111122223333"}'));
 * // { account: '111122223333', region: 'eu-west-1', hour: 1722513600000 }
 */
export function cloudTrailCoverageKey(bytes: Buffer): CoverageKey | undefined {
  const values = stringsAt(bytes, KEYS, 1);
  if (values === undefined) return undefined;
  const [time, account, region] = values;
  return { account: plainValue(account), region: plainValue(region), hour: hourOf(time) };
}

function keyOf(
  record: JsonObject,
  outer: { time?: unknown; account?: unknown; region?: unknown },
): CoverageKey {
  return {
    account: plainValue(record.recipientAccountId ?? outer.account),
    region: plainValue(record.awsRegion ?? outer.region),
    hour: hourOf(record.eventTime ?? record['@timestamp'] ?? outer.time),
  };
}

/**
 * The coverage key of one parsed CloudTrail record, in any shape `unwrapCloudTrail`
 * returns: a record, an EventBridge envelope (its `detail`, else the envelope's account,
 * region and time) or a `lookup-events` entry (the record inside `CloudTrailEvent`).
 *
 * @example
 * cloudTrailRecordCoverageKey({ eventTime: '2024-08-01T12:03:30Z', awsRegion: 'eu-west-1', recipientAccountId: '1' }).region; // 'eu-west-1'
 */
export function cloudTrailRecordCoverageKey(record: unknown): CoverageKey {
  if (!isObject(record)) return UNKNOWN_KEY;
  if (typeof record.CloudTrailEvent === 'string') {
    let inner: unknown;
    try {
      inner = JSON.parse(record.CloudTrailEvent);
    } catch {
      inner = undefined;
    }
    return keyOf(isObject(inner) ? inner : {}, { time: record.EventTime });
  }
  if (typeof record['detail-type'] === 'string') {
    const outer = { time: record.time, account: record.account, region: record.region };
    return keyOf(isObject(record.detail) ? record.detail : {}, outer);
  }
  return keyOf(record, {});
}
