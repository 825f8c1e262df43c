import { describeResolved, type ResolvedActor } from '../context/identity-chain.ts';
import { formatPointer, isoTime } from '../model/index.ts';
import type { AuditEvent, ChainHop } from '../model/index.ts';
import { terminalSafe } from '../report/index.ts';
import type { StopAnswer, Timeline, TimelineEntry } from './store.ts';

function hopText(hop: ChainHop): string {
  return `${hop.name ?? hop.id} (${hop.type}, ${hop.via})`;
}

/** `alice ← Deploy/alice-session (assumed_role, role_chaining) ← …`: origin first. */
export function chainText(resolved: ResolvedActor): string {
  const origin = resolved.origin.name ?? resolved.origin.id ?? 'unknown';
  const hops = resolved.hops.slice(0, -1).reverse().map(hopText);
  return [origin, ...hops].join(' → ');
}

/**
 * The short answer of `who-stopped`: per stop the instance, time, who really acted and
 * how, from where, and how it ended. Log text is made terminal-safe.
 *
 * @example
 * process.stdout.write(renderWhoStopped(await store.whoStopped('prod-db-1')));
 */
export function renderWhoStopped(answers: readonly StopAnswer[]): string {
  const lines: string[] = [];
  for (const { stop, resolved } of answers) {
    const instance = stop.instance.name
      ? `${stop.instance.name} (${stop.instance.uid})`
      : stop.instance.uid;
    const origin = resolved.origin.name ?? resolved.origin.id ?? 'unknown';
    lines.push(`${instance}: ${stop.action} at ${isoTime(stop.time)} by ${origin}`);
    if (resolved.hops.length > 0)
      lines.push(
        `  chain:   ${chainText(resolved)} → ${stop.actor.name ?? stop.actor.id ?? 'unknown'} (logged actor)`,
      );
    if (resolved.sourceIdentity) lines.push(`  source identity: ${resolved.sourceIdentity}`);
    const from = [
      stop.source.ip,
      stop.source.service,
      stop.source.clientKind,
      stop.source.userAgent,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  from:    ${from || 'unknown'}`);
    const outcome = [stop.outcome.status, stop.outcome.code].filter(Boolean).join(' ');
    lines.push(`  outcome: ${outcome}`);
    if (resolved.missing) lines.push(`  missing: ${resolved.missing}`);
    lines.push(`  evidence: ${stop.raws.map(formatPointer).join(', ')}`);
  }
  return lines.map(terminalSafe).join('\n') + (lines.length > 0 ? '\n' : '');
}

function targetsOf(event: AuditEvent): string {
  return event.targets.map((t) => t.name ?? t.uid).join(', ');
}

function entryLine(entry: TimelineEntry): string {
  if (entry.kind === 'credential') {
    const c = entry.credential;
    return `${isoTime(entry.time)}  ${c.operation} issued ${c.accessKeyId}${c.sessionArn ? ` for ${c.sessionArn}` : ''}  [${formatPointer(c.raw)}]`;
  }
  const e = entry.event;
  const actor = e.actor.name ?? e.actor.id ?? 'unknown';
  const outcome = e.outcome.status + (e.outcome.code ? ` ${e.outcome.code}` : '');
  return `${isoTime(e.time)}  ${e.provider} ${e.scope.account ?? '-'}  ${e.operation}  ${targetsOf(e) || '-'}  ${actor}  ${outcome}  [${formatPointer(e.raw)}]`;
}

/**
 * A timeline as text: the identity (ids and temporary keys it was found by) once, then one
 * line per event with its raw-record pointer.
 */
export function renderTimeline(
  timeline: Timeline,
  resolved?: ResolvedActor,
  label = 'actor',
): string {
  const lines: string[] = [];
  if (timeline.identity) {
    lines.push(`identity: ${timeline.identity.ids.join(', ')}`);
    if (timeline.identity.accessKeys.length > 0)
      lines.push(`sessions: ${timeline.identity.accessKeys.join(', ')}`);
  }
  if (resolved) lines.push(`${label}: ${describeResolved(resolved)}`);
  for (const entry of timeline.entries) lines.push(entryLine(entry));
  return lines.map(terminalSafe).join('\n') + (lines.length > 0 ? '\n' : '');
}
