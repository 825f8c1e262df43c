import { isIP } from 'node:net';
import type {
  AuditEvent,
  EpochMs,
  Outcome,
  Phase,
  RawPointer,
  RecordIssue,
} from '../../model/index.ts';
import { classifyClient } from '../client-kind.ts';
import type { Normalized } from '../provider.ts';
import { GOOGLE_SYSTEM, readActor, serviceAgentOf } from './actor.ts';
import { meaningOf, type MethodMeaning } from './method-names.ts';
import { readPhase } from './operation-phase.ts';
import { isObject, openMessage, pubSubShapeOf } from './pubsub.ts';
import { AUDIT_LOG_TYPE, logEntrySchema, type AuditLogEntry } from './raw-schema.ts';
import { parseResourceName } from './resource-name.ts';
import { scopeOf } from './scope.ts';
import { targetsOf } from './targets.ts';
import { looksLikeLogEntry } from './unwrap.ts';
import { kindOf, quote, skipped } from '../_issue.ts';
import { unmappedFields } from './unmapped.ts';

type JsonObject = Readonly<Record<string, unknown>>;

/** A value at a dotted zod path of the raw record, to tell a missing field from a bad one. */
function valueAt(record: unknown, path: readonly PropertyKey[]): unknown {
  let value = record;
  for (const key of path) {
    if (!isObject(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** SetIamPolicy concerns logging only when it changes audit configs. */
function hasAuditConfigDeltas(payload: JsonObject): boolean {
  for (const holder of [payload.serviceData, payload.metadata]) {
    if (!isObject(holder) || !isObject(holder.policyDelta)) continue;
    const deltas = holder.policyDelta.auditConfigDeltas;
    if (Array.isArray(deltas) && deltas.length > 0) return true;
  }
  return false;
}

const FAILING_SEVERITIES = new Set(['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY']);

/**
 * `google.rpc.Code` by number: audit logs carry the number, analysts and Google's own tools
 * (`gcloud`, the console) say the name.
 */
const RPC_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

function rpcCode(code: number | string): string {
  const name = typeof code === 'number' ? RPC_CODES[code] : undefined;
  return name ?? String(code);
}

function outcomeOf(entry: AuditLogEntry, phase: Phase): Outcome {
  const status = entry.protoPayload.status;
  const message = status?.message ? { message: status.message } : {};
  if (status?.code !== undefined && status.code !== 0) {
    return { status: 'failure', code: rpcCode(status.code), ...message };
  }
  const severity = entry.severity;
  const failing =
    typeof severity === 'number' ? severity >= 500 : FAILING_SEVERITIES.has(String(severity));
  if (failing) return { status: 'failure', ...message };
  return phase === 'begin' ? { status: 'in_progress' } : { status: 'success' };
}

/** Boolean and numeric request options (`discardLocalSsd`, `forceStop`): they change what a stop means. */
function parametersOf(entry: AuditLogEntry): Record<string, boolean | number> | undefined {
  const request = entry.protoPayload.request;
  if (!request) return undefined;
  const found = Object.entries(request).filter(
    (pair): pair is [string, boolean | number] =>
      typeof pair[1] === 'boolean' || (typeof pair[1] === 'number' && Number.isFinite(pair[1])),
  );
  return found.length > 0 ? Object.fromEntries(found) : undefined;
}

function toEvent(
  entry: AuditLogEntry,
  raw: JsonObject,
  meaning: MethodMeaning,
  at: RawPointer,
  extra: JsonObject | undefined,
): Normalized {
  const payload = entry.protoPayload;
  const path = payload.resourceName ? parseResourceName(payload.resourceName) : {};
  const scope = scopeOf(entry, path);
  const targets = targetsOf(meaning, entry, path, scope);
  if (targets.length === 0 && meaning.target === 'instance') {
    return skipped(
      'missing_field',
      at,
      `Cannot read Google Cloud audit entry ${quote(entry.insertId)}: it names no instance (no resource.labels.instance_id, no protoPayload.resourceName)`,
      'protoPayload.resourceName',
    );
  }
  const phase = readPhase(entry.operation);
  const actor = readActor(payload.authenticationInfo, {
    system: meaning.system,
    project: scope.account,
  });
  const metadata = payload.requestMetadata;
  const callerIp = metadata?.callerIp;
  const ip = callerIp && isIP(callerIp) !== 0 ? callerIp : undefined;
  const userAgent = metadata?.callerSuppliedUserAgent || undefined;
  const email = payload.authenticationInfo?.principalEmail;
  // Google acting on its own (a system event, `system@google.com`) or through a service
  // agent (a group manager, an instance schedule): the caller is a cloud service.
  const service =
    meaning.system || email === GOOGLE_SYSTEM
      ? (payload.serviceName ?? 'compute.googleapis.com')
      : serviceAgentOf(email);
  const correlationId = entry.operation?.id || undefined;
  const parameters =
    meaning.target === 'instance' || meaning.target === 'group_instances'
      ? parametersOf(entry)
      : undefined;
  const unmapped = unmappedFields(raw, { callerIpMapped: ip !== undefined });
  const event: AuditEvent = {
    id: `gcp:${entry.insertId}`,
    provider: 'gcp',
    action: meaning.action,
    operation: payload.methodName,
    service: payload.serviceName ?? 'unknown',
    time: Date.parse(entry.timestamp) as EpochMs,
    cause: meaning.cause,
    phase,
    outcome: outcomeOf(entry, phase),
    scope,
    actor,
    source: {
      ...(ip ? { ip } : {}),
      ...(service ? { service } : {}),
      ...(userAgent ? { userAgent } : {}),
      clientKind: classifyClient(userAgent, service),
    },
    targets,
    eventId: entry.insertId,
    ...(correlationId ? { correlationId } : {}),
    ...(parameters ? { parameters } : {}),
    unmapped: extra ? { ...unmapped, pubsub: extra } : unmapped,
    raw: at,
  };
  return { events: [event] };
}

/** One LogEntry: noise (no events), an audited action (one event), or an issue. */
function normalizeEntry(
  record: unknown,
  at: RawPointer,
  extra: JsonObject | undefined,
  field?: string,
): Normalized {
  if (!looksLikeLogEntry(record)) {
    const where = field
      ? `field "${field}" holds ${kindOf(record)}`
      : `the record is ${kindOf(record)}`;
    return skipped(
      'wrong_shape',
      at,
      `Cannot read Google Cloud record: ${where}, not a LogEntry`,
      field,
    );
  }
  const entry = record as JsonObject;
  const payload = entry.protoPayload;
  // Entries without an audit payload (application logs, VM serial output) are noise.
  if (!isObject(payload)) return { events: [] };
  const type = payload['@type'];
  if (type !== undefined && type !== AUDIT_LOG_TYPE) return { events: [] };
  const methodName = payload.methodName;
  if (typeof methodName !== 'string') {
    return skipped(
      'missing_field',
      at,
      `Cannot read Google Cloud audit entry: field "protoPayload.methodName" is ${methodName === undefined ? 'missing' : kindOf(methodName)}`,
      'protoPayload.methodName',
    );
  }
  const operation = isObject(entry.operation) ? entry.operation : {};
  const meaning = meaningOf({
    methodName,
    ...(typeof payload.serviceName === 'string' ? { serviceName: payload.serviceName } : {}),
    ...(typeof operation.producer === 'string' ? { producer: operation.producer } : {}),
    hasAuditConfigDeltas: methodName.endsWith('SetIamPolicy') && hasAuditConfigDeltas(payload),
  });
  if (!meaning) return { events: [] };
  const parsed = logEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const path = first.path.map(String).join('.');
    const missing = valueAt(entry, first.path) === undefined;
    return skipped(
      missing ? 'missing_field' : 'invalid_field',
      at,
      `Cannot read Google Cloud audit entry ${quote(methodName)}: field "${path}" ${missing ? 'is missing' : `is invalid (${first.message})`}`,
      path,
    );
  }
  return toEvent(parsed.data, entry, meaning, at, extra);
}

/** An `entries.list` page handed over whole: each entry, its position kept in `member`. */
function normalizePage(page: JsonObject, at: RawPointer): Normalized {
  const entries = page.entries;
  if (!Array.isArray(entries)) {
    return skipped(
      'wrong_shape',
      at,
      `Cannot read Google Cloud entries page: field "entries" is ${kindOf(entries)}, not an array of LogEntry`,
      'entries',
    );
  }
  const events: AuditEvent[] = [];
  let firstIssue: RecordIssue | undefined;
  entries.forEach((entry, member) => {
    const result = normalizeEntry(entry, { ...at, member }, undefined);
    events.push(...result.events);
    firstIssue ??= result.issue;
  });
  return { events, ...(firstIssue ? { issue: firstIssue } : {}) };
}

function normalizeRecord(record: unknown, at: RawPointer): Normalized {
  if (!isObject(record)) {
    return skipped(
      'wrong_shape',
      at,
      `Cannot read Google Cloud record: it is ${kindOf(record)}, not a LogEntry object`,
    );
  }
  const shape = pubSubShapeOf(record);
  if (shape) {
    const opened = openMessage(record, shape);
    if (!opened.ok)
      return skipped(
        opened.type,
        at,
        `Cannot read Pub/Sub message: ${opened.message}`,
        opened.field,
      );
    return normalizeEntry(
      opened.entry,
      at,
      opened.meta,
      shape === 'pubsub-message' ? 'data' : 'message.data',
    );
  }
  if ('entries' in record && !looksLikeLogEntry(record)) return normalizePage(record, at);
  return normalizeEntry(record, at, undefined);
}

/**
 * Maps one Google Cloud record (a LogEntry, or a Pub/Sub envelope or page holding one) to
 * events. Never throws: a record that cannot be read comes back as an issue naming the
 * field, and entries that are not audited VM, identity or logging actions give no events.
 *
 * @example
 * normalize(entry, { path: 'audit.jsonl', index: 0 }).events[0]?.action; // 'instance.stop'
 */
export function normalize(record: unknown, at: RawPointer): Normalized {
  try {
    return normalizeRecord(record, at);
  } catch (error) {
    // A bug here must cost one record, not the run; tests assert this never happens.
    const reason = quote(error instanceof Error ? error.message : error);
    return skipped('wrong_shape', at, `Cannot read Google Cloud record: internal error ${reason}`);
  }
}
