import { recordPrincipal } from '../context/identity-chain.ts';
import { claimNamesOf, credentialLinkOf } from '../context/memory-identity.ts';
import { isStopAction, stopKey } from '../model/index.ts';
import type { CoverageCount } from '../pipeline/types.ts';
import type { Actor, AuditEvent, InstanceStop, ProviderId } from '../model/index.ts';
import type {
  ActivityTable,
  ActorsTable,
  CoverageTable,
  CredentialsTable,
  DirectoryTable,
  EventInstancesTable,
  EventsTable,
  StopsTable,
} from './schema.ts';

/*
 * Mapping between model values and rows. Indexed columns are copies of fields inside the
 * JSON; the JSON stays the one source of truth and is what queries return.
 */

export function eventRow(event: AuditEvent): EventsTable {
  return {
    id: event.id,
    provider: event.provider,
    action: event.action,
    operation: event.operation,
    time: event.time,
    account: event.scope.account ?? null,
    region: event.scope.region ?? event.scope.zone ?? null,
    actor_id: event.actor.id ?? null,
    actor_name: event.actor.name ?? null,
    principal: principalColumn(event.provider, event.actor),
    access_key: event.actor.session?.accessKeyId ?? null,
    json: JSON.stringify(event),
  };
}

/** Set only where it adds to `actor_id`, so its (partial) index stays small. */
function principalColumn(provider: ProviderId, actor: Actor): string | null {
  const principal = recordPrincipal(provider, actor);
  return principal !== undefined && principal !== actor.id ? principal : null;
}

export const DAY_MS = 86_400_000;

/** One row per instance the event names; stop events also carry the key of their stop. */
export function instanceRows(event: AuditEvent): EventInstancesTable[] {
  const rows: EventInstancesTable[] = [];
  const stop = isStopAction(event.action);
  const seen = new Set<string>();
  for (const target of event.targets) {
    if (target.type !== 'instance' && target.type !== 'scale_set_instance') continue;
    if (seen.has(target.uid)) continue;
    seen.add(target.uid);
    rows.push({
      event_id: event.id,
      instance_uid: target.uid,
      instance_name: target.name ?? null,
      time: event.time,
      day: Math.trunc(event.time / DAY_MS),
      stop_key: stop ? stopKey(event, target) : null,
    });
  }
  return rows;
}

/** Index order of links (day, instance, time): a batch's inserts walk the index once. */
export function byLinkKey(a: EventInstancesTable, b: EventInstancesTable): number {
  if (a.day !== b.day) return a.day - b.day;
  if (a.instance_uid !== b.instance_uid) return a.instance_uid < b.instance_uid ? -1 : 1;
  return a.time - b.time;
}

/** The credential a role-issuing event handed out, or `undefined` when it names none. */
export function credentialRow(event: AuditEvent): CredentialsTable | undefined {
  const link = credentialLinkOf(event);
  if (!link) return undefined;
  return {
    access_key: link.accessKeyId,
    event_id: link.eventId,
    provider: event.provider,
    operation: link.operation,
    time: link.time,
    expires_at: link.expiresAt ?? null,
    session_arn: link.sessionArn ?? null,
    session_name: link.sessionName ?? null,
    source_identity: link.sourceIdentity ?? null,
    // Never empty when the issuer has any name: identity queries look issuers up by it.
    issuer_id: link.issuer.id ?? link.issuer.name ?? null,
    issuer_name: link.issuer.name ?? null,
    issuer_key: link.issuer.session?.accessKeyId ?? null,
    issuer: JSON.stringify(link.issuer),
    raw: JSON.stringify(link.raw),
  };
}

/** Names an Azure event's claims give to GUID principals, for resolving other events. */
export function claimNames(event: AuditEvent): DirectoryTable[] {
  return claimNamesOf(event).map(({ id, name }) => ({
    principal_id: id,
    source: 'claims',
    name,
    seen: event.time,
  }));
}

/** Actor ids with names, for `actors`; an unnamed actor needs no row (its id is its name). */
export function actorRows(events: readonly AuditEvent[]): ActorsTable[] {
  const byId = new Map<string, string>();
  for (const { actor } of events) {
    if (!actor.id || !actor.name || actor.name === actor.id) continue;
    const old = byId.get(actor.id);
    if (old === undefined || actor.name < old) byId.set(actor.id, actor.name);
  }
  return [...byId].map(([id, name]) => ({ id, name }));
}

const HOUR = 3_600_000;

/** `(who, hour)` once per actor id and principal per hour of activity. */
export function activityRows(events: readonly AuditEvent[]): ActivityTable[] {
  const seen = new Map<string, ActivityTable>();
  for (const event of events) {
    const hour = event.time - (event.time % HOUR);
    for (const who of [event.actor.id, recordPrincipal(event.provider, event.actor)]) {
      if (who === undefined) continue;
      const key = `${who}\u0000${hour}`;
      if (!seen.has(key)) seen.set(key, { who, hour });
    }
  }
  return [...seen.values()];
}

export function stopRow(stop: InstanceStop): StopsTable {
  return {
    key: stop.id,
    provider: stop.provider,
    action: stop.action,
    time: stop.time,
    account: stop.scope.account ?? null,
    instance_uid: stop.instance.uid,
    instance_name: stop.instance.name ?? null,
    actor_id: stop.actor.id ?? null,
    actor_name: stop.actor.name ?? null,
    principal: principalColumn(stop.provider, stop.actor),
    access_key: stop.actor.session?.accessKeyId ?? null,
    outcome: stop.outcome.status,
    json: JSON.stringify(stop),
  };
}

/** Splits a list so no statement exceeds the engines' bound-parameter limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The first event of each id: a batch may carry the same record twice. */
export function uniqueById(events: readonly AuditEvent[]): AuditEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    if (seen.has(e.id)) return false;
    seen.add(e.id);
    return true;
  });
}

/** One row per key: PostgreSQL refuses to update the same row twice in one statement. */
export function sumCoverage(fileHash: string, counts: readonly CoverageCount[]): CoverageTable[] {
  const sums = new Map<string, CoverageTable>();
  for (const c of counts) {
    const key = `${c.provider}\u0000${c.account}\u0000${c.region}\u0000${c.hour}`;
    const row = sums.get(key);
    if (row) row.records += c.records;
    else
      sums.set(key, {
        provider: c.provider,
        account: c.account,
        region: c.region,
        hour: c.hour,
        file_hash: fileHash,
        records: c.records,
      });
  }
  return [...sums.values()];
}

/*
 * Claim names keep the one seen on the latest record (ties: the smaller name), a rule that
 * gives the same row whatever order files arrive in.
 */
export function bestNames(names: readonly DirectoryTable[]): DirectoryTable[] {
  const best = new Map<string, DirectoryTable>();
  for (const row of names) {
    const key = `${row.principal_id}\u0000${row.source}`;
    const old = best.get(key);
    if (!old || row.seen > old.seen || (row.seen === old.seen && row.name < old.name))
      best.set(key, row);
  }
  return [...best.values()];
}
