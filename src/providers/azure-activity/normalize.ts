import type {
  AuditEvent,
  RawPointer,
  RecordIssue,
  Scope,
  Target,
  TargetType,
} from '../../model/index.ts';
import { safeText } from '../../model/index.ts';
import type { Normalized } from '../provider.ts';
import { text, type JsonObject } from './_values.ts';
import { actorOf, CLAIM } from './actor.ts';
import { clientKindOf } from './client.ts';
import { readFields, type ActivityFields } from './fields.ts';
import { classifyOperation, type OperationInfo } from './operations.ts';
import { phaseOf } from './outcome.ts';
import { recordId } from './record-id.ts';
import { detectShape } from './shape.ts';
import { timeOf } from './time.ts';

function issue(
  at: RawPointer,
  type: RecordIssue['type'],
  message: string,
  field?: string,
): Normalized {
  return { events: [], issue: { type, at, message, ...(field !== undefined ? { field } : {}) } };
}

function segmentAfter(resourceId: string, key: string): string | undefined {
  const parts = resourceId.split('/');
  const index = parts.findIndex((part) => part.toLowerCase() === key);
  const value = index >= 0 ? parts[index + 1] : undefined;
  return value !== undefined && value !== '' ? value : undefined;
}

/**
 * The instance (or scale set, or log sink) acted on. The uid is the resource id in lower
 * case, because Azure writes the same id in upper case (exports), mixed case (CLI) and with
 * `resourcegroups` spelled either way; the name keeps the record's case. A scale-set VM is
 * named `<scale set>_<instance id>`, Azure's own name for it, since its last segment alone
 * is a bare number.
 */
function targetOf(info: OperationInfo, resourceId: string): Target {
  let id = resourceId.replace(/\/+$/, '');
  if (info.resource === 'parent-vm') id = id.replace(/\/extensions\/[^/]*$/i, '');
  const parts = id.split('/').filter((part) => part !== '');
  const last = parts[parts.length - 1] ?? id;
  const scaleSetVm = /\/virtualMachineScaleSets\/([^/]+)\/virtualMachines\/[^/]+$/i.exec(id);
  const name = scaleSetVm ? `${scaleSetVm[1]}_${last}` : last;
  const type: TargetType = info.targetType;
  return { type, uid: id.toLowerCase(), name };
}

function scopeOf(fields: ActivityFields, resourceId: string): Scope {
  const account = (
    fields.subscriptionId ?? segmentAfter(resourceId, 'subscriptions')
  )?.toLowerCase();
  const resourceGroup = fields.resourceGroup ?? segmentAfter(resourceId, 'resourcegroups');
  const region =
    fields.region !== undefined && fields.region.toLowerCase() !== 'global'
      ? fields.region
      : undefined;
  return {
    ...(account !== undefined ? { account } : {}),
    ...(resourceGroup !== undefined ? { resourceGroup } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}

const MAPPED_CLAIMS: ReadonlySet<string> = new Set(Object.values(CLAIM).flat());

/** Everything the model has no place for, so nothing the cloud said is lost. */
function unmappedOf(record: JsonObject, fields: ActivityFields): Record<string, unknown> {
  const unmapped: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!fields.mappedKeys.has(key)) unmapped[key] = record[key];
  }
  // Only a few members of these are mapped; the role and status details matter to analysts.
  if (fields.authorization) unmapped['authorization'] = fields.authorization;
  if (fields.properties) unmapped['properties'] = fields.properties;
  if (fields.claims) {
    const rest = Object.fromEntries(
      Object.entries(fields.claims).filter(([key]) => !MAPPED_CLAIMS.has(key)),
    );
    if (Object.keys(rest).length > 0) unmapped['claims'] = rest;
  }
  return unmapped;
}

function normalizeRecord(record: unknown, at: RawPointer): Normalized {
  const shape = detectShape(record);
  if (!shape) {
    return issue(
      at,
      'wrong_shape',
      'Cannot read Azure Activity Log record: it has none of the keys of a known shape',
    );
  }
  const raw = record as JsonObject;
  const fields = readFields(shape, raw);
  const names = fields.names;
  if (fields.operationName === undefined) {
    return issue(
      at,
      'missing_field',
      `Cannot read Azure Activity Log record: "${names.operationName}" is missing or empty`,
      names.operationName,
    );
  }
  const info = classifyOperation(fields.operationName);
  if (!info) return { events: [] };

  const time = timeOf(fields.time);
  if (time === undefined) {
    const what =
      fields.time === undefined
        ? 'is missing'
        : `is not a time: "${safeText(fields.time).slice(0, 40)}"`;
    return issue(
      at,
      fields.time === undefined ? 'missing_field' : 'invalid_field',
      `Cannot place Azure operation "${fields.operationName}" in time: "${names.time}" ${what}`,
      names.time,
    );
  }
  const resourceId =
    fields.resourceId ??
    text(fields.authorization?.['scope']) ??
    text(fields.properties?.['entity']);
  if (resourceId === undefined || !resourceId.includes('/')) {
    return issue(
      at,
      'missing_field',
      `Cannot tell which resource Azure operation "${fields.operationName}" acted on: "${names.resourceId}" is missing`,
      names.resourceId,
    );
  }

  const { phase, outcome } = phaseOf(
    fields.status,
    fields.subStatus,
    fields.eventName,
    fields.properties,
  );
  const actor = actorOf({
    ...(fields.caller !== undefined ? { caller: fields.caller } : {}),
    ...(fields.claims !== undefined ? { claims: fields.claims } : {}),
    ...(fields.authorization !== undefined ? { authorization: fields.authorization } : {}),
  });
  const ip = fields.callerIp ?? text(fields.httpRequest?.['clientIpAddress']);
  const event: AuditEvent = {
    id: recordId(fields.eventDataId, record),
    provider: 'azure',
    action: info.action,
    operation: fields.operationName,
    service: info.service,
    time,
    cause: 'api_call',
    phase,
    outcome,
    scope: scopeOf(fields, resourceId),
    actor,
    source: { ...(ip !== undefined ? { ip } : {}), clientKind: clientKindOf(fields.claims) },
    targets: [targetOf(info, resourceId)],
    ...(fields.eventDataId !== undefined ? { eventId: fields.eventDataId } : {}),
    ...(fields.correlationId !== undefined ? { correlationId: fields.correlationId } : {}),
    unmapped: unmappedOf(raw, fields),
    raw: at,
  };
  return { events: [event] };
}

/**
 * Maps one Activity Log record, of any shape `unwrap` returns, to at most one event (one
 * record is one phase of one operation on one resource). Operations other than VM,
 * scale-set and logging changes are noise and yield nothing. Never throws.
 *
 * @example
 * normalize(record, { path: 'PT1H.json', index: 0 }).events[0]?.action; // 'instance.deallocate'
 */
export function normalize(record: unknown, at: RawPointer): Normalized {
  try {
    return normalizeRecord(record, at);
  } catch (error) {
    // Defensive: the readers above do not throw, but a bad record must never end a run.
    const reason = error instanceof Error ? error.message : String(error);
    return issue(at, 'wrong_shape', `Cannot read Azure Activity Log record: ${reason}`);
  }
}
