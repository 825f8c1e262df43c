import type {
  Actor,
  AuditEvent,
  InstanceStop,
  Outcome,
  Scope,
  SourceEndpoint,
} from '../model/index.ts';
import type { ResolvedActor } from '../context/identity-chain.ts';
import { formatPointer, safeText } from '../model/index.ts';
import { CLOUD_NAMES, timeCell } from './_cells.ts';
import { describeActor } from './describe-actor.ts';

/** One column set for stops and events, so `--all` output is still one table. */
export const CSV_COLUMNS = [
  'record',
  'time',
  'end_time',
  'cloud',
  'account',
  'resource_group',
  'region',
  'zone',
  'instance_id',
  'instance_name',
  'state_before',
  'state_after',
  'action',
  'operation',
  'cause',
  'parameters',
  'actor',
  'actor_type',
  'actor_id',
  'actor_name',
  'session_name',
  'session_issuer',
  'source_identity',
  'mfa',
  'delegation_chain',
  'invoked_by',
  'actor_gap',
  'origin',
  'origin_chain',
  'origin_missing',
  'source_ip',
  'source_service',
  'client_kind',
  'user_agent',
  'outcome',
  'error_code',
  'error_message',
  'correlation_id',
  'event_ids',
  'raw',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

/*
 * A spreadsheet treats a cell starting with one of these as a formula (`=HYPERLINK(…)`,
 * `@SUM(…)`, `+cmd|…`); log text such as a user agent is written by whoever made the call.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180, with formula injection neutralised by a leading `'`.
 *
 * @example
 * csvField('=HYPERLINK("http://x")'); // '"\'=HYPERLINK(""http://x"")"'
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function actorColumns(actor: Actor): Row {
  return {
    actor: describeActor(actor),
    actor_type: actor.type,
    actor_id: actor.id ?? '',
    actor_name: actor.name ?? '',
    session_name: actor.session?.name ?? '',
    session_issuer: actor.session?.issuer ?? '',
    source_identity: actor.session?.sourceIdentity ?? '',
    mfa: actor.session?.mfa === undefined ? '' : String(actor.session.mfa),
    delegation_chain: actor.chain.map((hop) => `${hop.via}:${hop.id}`).join(' | '),
    invoked_by: actor.invokedBy ?? '',
    actor_gap: actor.gap ?? '',
  };
}

/** Who really acted, where resolution ran (`scan --resolve`, the store): origin and hops. */
function originColumns(resolved: ResolvedActor | undefined): Row {
  if (!resolved) return {};
  return {
    origin: resolved.origin.name ?? resolved.origin.id ?? '',
    origin_chain: resolved.hops.map((hop) => `${hop.via}:${hop.id}`).join(' | '),
    origin_missing: resolved.missing ?? '',
  };
}

function scopeColumns(scope: Scope): Row {
  return {
    account: scope.account ?? '',
    resource_group: scope.resourceGroup ?? '',
    region: scope.region ?? '',
    zone: scope.zone ?? '',
  };
}

function sourceColumns(source: SourceEndpoint): Row {
  return {
    source_ip: source.ip ?? '',
    source_service: source.service ?? '',
    client_kind: source.clientKind,
    user_agent: source.userAgent ?? '',
  };
}

function outcomeColumns(outcome: Outcome): Row {
  return {
    outcome: outcome.status,
    error_code: outcome.code ?? '',
    error_message: outcome.message ?? '',
  };
}

function parametersText(parameters: Readonly<Record<string, unknown>> | undefined): string {
  return Object.entries(parameters ?? {})
    .map(([key, value]) => `${key}=${safeText(value)}`)
    .join(';');
}

function stopRow(stop: InstanceStop, resolved: ResolvedActor | undefined): Row {
  return {
    record: 'stop',
    time: timeCell(stop.time),
    end_time: stop.endTime !== undefined ? timeCell(stop.endTime) : '',
    cloud: CLOUD_NAMES[stop.provider],
    ...scopeColumns(stop.scope),
    zone: stop.instance.zone ?? stop.scope.zone ?? '',
    instance_id: stop.instance.uid,
    instance_name: stop.instance.name ?? '',
    state_before: stop.instance.stateBefore ?? '',
    state_after: stop.instance.stateAfter ?? '',
    action: stop.action,
    operation: stop.operation,
    cause: stop.cause,
    parameters: parametersText(stop.parameters),
    ...actorColumns(stop.actor),
    ...originColumns(resolved),
    ...sourceColumns(stop.source),
    ...outcomeColumns(stop.outcome),
    correlation_id: stop.correlationId ?? '',
    event_ids: stop.eventIds.join(' '),
    raw: stop.raws.map(formatPointer).join(' '),
  };
}

function eventRow(event: AuditEvent): Row {
  return {
    record: 'event',
    time: timeCell(event.time),
    cloud: CLOUD_NAMES[event.provider],
    ...scopeColumns(event.scope),
    instance_id: event.targets.map((t) => t.uid).join(' '),
    instance_name: event.targets
      .map((t) => t.name ?? '')
      .join(' ')
      .trim(),
    state_before: event.targets
      .map((t) => t.stateBefore ?? '')
      .join(' ')
      .trim(),
    state_after: event.targets
      .map((t) => t.stateAfter ?? '')
      .join(' ')
      .trim(),
    action: event.action,
    operation: event.operation,
    cause: event.cause,
    parameters: parametersText(event.parameters),
    ...actorColumns(event.actor),
    ...sourceColumns(event.source),
    ...outcomeColumns(event.outcome),
    correlation_id: event.correlationId ?? '',
    event_ids: event.id,
    raw: formatPointer(event.raw),
  };
}

function line(row: Row): string {
  return `${CSV_COLUMNS.map((column) => csvField(row[column] ?? '')).join(',')}\r\n`;
}

/**
 * CSV (RFC 4180, CRLF line ends, a header row): stops, then (with `--all`) events. With
 * `resolved` (in the order of the stops) the origin columns say who really acted.
 *
 * @example
 * for (const text of csvLines(result.stops)) process.stdout.write(text);
 */
export function* csvLines(
  stops: readonly InstanceStop[],
  events: readonly AuditEvent[] = [],
  resolved?: readonly (ResolvedActor | undefined)[],
): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const [index, stop] of stops.entries()) yield line(stopRow(stop, resolved?.[index]));
  for (const event of events) yield line(eventRow(event));
}
