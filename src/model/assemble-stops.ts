import { isStopAction } from './event.ts';
import type { AuditEvent, InstanceStop, Phase, StopAction, Target } from './event.ts';

/**
 * The key that makes one stop out of the records one operation leaves behind: Azure's
 * Started/Accepted/Succeeded share a `correlationId`, GCP's first/last (and the v1/beta
 * copies of a test log) share an operation id, and a CloudTrail call that stops five
 * instances is five keys. The action is part of the key because one Azure correlation id
 * can span several operations (a VM delete and its disks).
 */
export function stopKey(event: AuditEvent, instance: Target): string {
  const operation = event.correlationId ?? event.eventId ?? event.id;
  return `${event.provider}:${operation}:${event.action}:${instance.uid}`;
}

const PHASE_ORDER: Readonly<Record<Phase, number>> = { begin: 0, accepted: 1, single: 2, end: 2 };

/** Later phase first; at the same phase, the later record. */
function isLater(a: AuditEvent, b: AuditEvent): boolean {
  const byPhase = PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase];
  return byPhase !== 0 ? byPhase > 0 : a.time > b.time;
}

/** An actor that names someone beats one the log left blank (Azure's last phase often is). */
function actorWeight(event: AuditEvent): number {
  const actor = event.actor;
  if (actor.type === 'unknown') return 0;
  return 1 + actor.chain.length + (actor.name ? 1 : 0) + (actor.session ? 1 : 0);
}

interface Group {
  readonly events: AuditEvent[];
  readonly instance: Target;
  readonly key: string;
}

function mergeGroup(group: Group): InstanceStop {
  const events = [...group.events].sort((a, b) => a.time - b.time);
  const first = events[0]!;
  let final = first;
  let richest = first;
  for (const event of events) {
    if (isLater(event, final)) final = event;
    if (actorWeight(event) > actorWeight(richest)) richest = event;
  }
  const withIp = events.find((e) => e.source.ip !== undefined) ?? richest;
  const last = events[events.length - 1]!;
  const lastTarget = last.targets.find((t) => t.uid === group.instance.uid);
  const instance: Target = {
    ...group.instance,
    stateAfter: lastTarget?.stateAfter ?? group.instance.stateAfter,
  };
  return {
    id: group.key,
    provider: first.provider,
    action: first.action as StopAction,
    operation: first.operation,
    cause: first.cause,
    time: first.time,
    ...(last.time > first.time ? { endTime: last.time } : {}),
    outcome: final.outcome,
    instance,
    scope: richest.scope,
    actor: richest.actor,
    source: withIp.source,
    ...(first.parameters ? { parameters: first.parameters } : {}),
    ...(first.correlationId ? { correlationId: first.correlationId } : {}),
    eventIds: events.map((e) => e.id),
    raws: events.map((e) => e.raw),
  };
}

/**
 * Turns normalized events into evidence records: one `InstanceStop` per instance per stop
 * operation, phases merged, the same record read twice (overlapping exports) counted once.
 * Events that are not stops are ignored. The result is ordered by time.
 *
 * @example
 * const stops = assembleStops(events);
 */
export function assembleStops(events: Iterable<AuditEvent>): InstanceStop[] {
  const seen = new Set<string>();
  const groups = new Map<string, Group>();
  for (const event of events) {
    if (!isStopAction(event.action) || seen.has(event.id)) continue;
    seen.add(event.id);
    for (const target of event.targets) {
      if (target.type !== 'instance' && target.type !== 'scale_set_instance') continue;
      const key = stopKey(event, target);
      const group = groups.get(key);
      if (group) group.events.push(event);
      else groups.set(key, { key, instance: target, events: [event] });
    }
  }
  return [...groups.values()].map(mergeGroup).sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
}
