import type { AuditEvent, Outcome, RawPointer } from '../../model/index.ts';
import { toEpochMs } from '../../model/index.ts';
import type { Normalized } from '../provider.ts';
import { dig, isObject, type JsonObject } from './_access.ts';
import { quote, skipped } from '../_issue.ts';
import { readActor } from './actor.ts';
import { mappedEventName } from './event-names.ts';
import { rawRecordSchema } from './raw-schema.ts';
import { readDetails } from './request-details.ts';
import { readSource } from './source-endpoint.ts';
import { normalizeStateChange } from './state-change.ts';
import { collectUnmapped } from './unmapped.ts';
import { recordShape } from './unwrap.ts';

/** What a wrapper around the record adds: fallbacks and its own fields for `unmapped`. */
interface Wrapper {
  /** `unmapped` key prefix for the wrapper's own fields: `envelope`, `lookupEvent`. */
  readonly prefix: string;
  readonly fields: JsonObject;
  /** Wrapper keys that repeat the record (kept once, from the record). */
  readonly repeats: ReadonlySet<string>;
  readonly time?: unknown;
  readonly account?: unknown;
  readonly region?: unknown;
}

const WHERE = 'Cannot read CloudTrail record';

/** Top-level record fields an event is built from. */
const MAPPED_FIELDS = [
  'eventID',
  'eventName',
  'eventSource',
  'awsRegion',
  'recipientAccountId',
  'requestID',
  'errorCode',
  'errorMessage',
  'sourceIPAddress',
  'userAgent',
];

const LOOKUP_REPEATS = new Set([
  'CloudTrailEvent',
  'EventId',
  'EventName',
  'EventTime',
  'EventSource',
  'Username',
  'AccessKeyId',
  'ReadOnly',
]);
const ENVELOPE_REPEATS = new Set(['detail', 'detail-type', 'source', 'account', 'region', 'time']);

/**
 * Maps one CloudTrail record, in any of the shapes `unwrap` returns, to events: none for
 * noise (a Describe call), one for a mapped call. Never throws; a record that cannot be
 * read comes back as an issue naming the field.
 *
 * @example
 * normalizeCloudTrail(record, { path: 'trail.json', index: 0 }).events[0]?.action; // 'instance.stop'
 */
export function normalizeCloudTrail(record: unknown, at: RawPointer): Normalized {
  switch (recordShape(record)) {
    case 'cloudtrail-record':
      return normalizeRecord(record as JsonObject, at);
    case 'lookup-events':
      return fromLookupEvent(record as JsonObject, at);
    case 'eventbridge':
      return fromEnvelope(record as JsonObject, at);
    case 'ec2-state-change':
      return normalizeStateChange(record as JsonObject, at);
    case undefined:
      if (!isObject(record)) return skipped('wrong_shape', at, `${WHERE}: it is not a JSON object`);
      return 'eventName' in record
        ? skipped('invalid_field', at, `${WHERE}: "eventName" is not a string`, 'eventName')
        : skipped('missing_field', at, `${WHERE}: it has no "eventName"`, 'eventName');
  }
}

/** `aws cloudtrail lookup-events`: the record is JSON text inside `CloudTrailEvent`. */
function fromLookupEvent(wrapper: JsonObject, at: RawPointer): Normalized {
  const field = 'CloudTrailEvent';
  // Noise is the common case; the wrapper names the event, so skip parsing the string.
  if (typeof wrapper.EventName === 'string' && !mappedEventName(wrapper.EventName))
    return { events: [] };
  const text = wrapper.CloudTrailEvent;
  if (typeof text !== 'string') {
    return skipped(
      'invalid_field',
      at,
      `${WHERE}: "${field}" is not a string holding the record`,
      field,
    );
  }
  let inner: unknown;
  try {
    inner = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'invalid JSON';
    return skipped(
      'invalid_json',
      at,
      `${WHERE}: "${field}" is not valid JSON (${reason.slice(0, 120)})`,
      field,
    );
  }
  if (!isObject(inner))
    return skipped('wrong_shape', at, `${WHERE}: "${field}" does not hold a JSON object`, field);
  return normalizeRecord(inner, at, {
    prefix: 'lookupEvent',
    fields: wrapper,
    repeats: LOOKUP_REPEATS,
    time: wrapper.EventTime,
  });
}

/** EventBridge "… via CloudTrail": the record is `detail`. */
function fromEnvelope(envelope: JsonObject, at: RawPointer): Normalized {
  const detail = envelope.detail;
  if (!isObject(detail))
    return skipped(
      'wrong_shape',
      at,
      `${WHERE}: the EventBridge "detail" is not an object`,
      'detail',
    );
  return normalizeRecord(detail, at, {
    prefix: 'envelope',
    fields: envelope,
    repeats: ENVELOPE_REPEATS,
    time: envelope.time,
    account: envelope.account,
    region: envelope.region,
  });
}

function normalizeRecord(raw: JsonObject, at: RawPointer, wrapper?: Wrapper): Normalized {
  const mapped = mappedEventName(raw.eventName);
  if (!mapped) return { events: [] };
  if (typeof raw.eventSource === 'string' && !mapped.sources.includes(raw.eventSource))
    return { events: [] };
  const parsed = rawRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    const field = problem?.path.join('.') || undefined;
    const present = problem !== undefined && dig(raw, ...problem.path.map(String)) !== undefined;
    return present
      ? skipped(
          'invalid_field',
          at,
          `${WHERE}: "${field}" has the wrong type (${problem.message})`,
          field,
        )
      : skipped('missing_field', at, `${WHERE}: it has no "${field}"`, field);
  }
  const record = parsed.data;
  const consumed = new Set(MAPPED_FIELDS);
  // Logstash may move the time to `@timestamp`; wrappers carry it too.
  const timeField =
    record.eventTime !== undefined
      ? 'eventTime'
      : record['@timestamp'] !== undefined
        ? '@timestamp'
        : undefined;
  const timeValue = timeField ? record[timeField] : wrapper?.time;
  const time = toEpochMs(timeValue);
  if (time === undefined) {
    return timeValue === undefined
      ? skipped('missing_field', at, `${WHERE}: it has no "eventTime"`, 'eventTime')
      : skipped(
          'invalid_field',
          at,
          `${WHERE}: "${timeField ?? 'eventTime'}" is not a timestamp: ${quote(timeValue)}`,
          timeField ?? 'eventTime',
        );
  }
  if (timeField) consumed.add(timeField);

  const actor = readActor(record.userIdentity, record.sessionCredentialFromConsole);
  const details = readDetails(mapped, {
    eventName: record.eventName,
    requestParameters: record.requestParameters,
    responseElements: record.responseElements,
    additionalEventData: record.additionalEventData,
  });
  for (const path of [...actor.consumed, ...details.consumed]) consumed.add(path);
  if (record.requestID && dig(record.responseElements, 'requestId') === record.requestID) {
    consumed.add('responseElements.requestId');
  }
  const outcome: Outcome = record.errorCode
    ? {
        status: 'failure',
        code: record.errorCode,
        ...(record.errorMessage ? { message: record.errorMessage } : {}),
      }
    : details.failed
      ? { status: 'failure', ...(record.errorMessage ? { message: record.errorMessage } : {}) }
      : { status: 'success' };
  const account =
    record.recipientAccountId ??
    (typeof wrapper?.account === 'string' ? wrapper.account : undefined);
  const region =
    record.awsRegion ?? (typeof wrapper?.region === 'string' ? wrapper.region : undefined);
  const unmapped = collectUnmapped(raw, consumed);
  if (wrapper) {
    for (const [key, value] of Object.entries(collectUnmapped(wrapper.fields, wrapper.repeats))) {
      unmapped[`${wrapper.prefix}.${key}`] = value;
    }
  }
  const event: AuditEvent = {
    id: `aws:${record.eventID}`,
    provider: 'aws',
    action: details.action,
    operation: record.eventName,
    service: record.eventSource,
    time,
    cause: 'api_call',
    phase: 'single',
    outcome,
    scope: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
    actor: actor.actor,
    source: readSource(record.sourceIPAddress, record.userAgent),
    targets: details.targets,
    eventId: record.eventID,
    correlationId: record.requestID || record.eventID,
    ...(details.parameters ? { parameters: details.parameters } : {}),
    ...(details.issued ? { issued: details.issued } : {}),
    unmapped,
    raw: at,
  };
  return { events: [event] };
}
