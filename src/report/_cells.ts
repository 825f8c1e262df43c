import type {
  AuditEvent,
  InstanceStop,
  Outcome,
  Scope,
  SourceEndpoint,
  Target,
} from '../model/index.ts';
import { isoTime } from '../model/index.ts';

/*
 * Plain-text cell values shared by the table and CSV reports, so both say the same thing
 * the same way. No escaping here: each report escapes for its own medium.
 */

export const CLOUD_NAMES = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' } as const;

/** `2024-08-01T12:03:30Z`: milliseconds only when the log has them. */
export function timeCell(time: number): string {
  return isoTime(time as never).replace('.000Z', 'Z');
}

export function scopeCell(scope: Scope): string {
  const account = scope.account ?? '?';
  return scope.resourceGroup ? `${account}/${scope.resourceGroup}` : account;
}

export function placeCell(scope: Scope, target?: Target): string {
  return target?.zone ?? scope.zone ?? scope.region ?? '';
}

/** The short name of an instance: Azure ids are paths, the last segment is the VM. */
export function instanceCell(target: Target): string {
  const uid = target.uid.includes('/')
    ? target.uid.slice(target.uid.lastIndexOf('/') + 1)
    : target.uid;
  return target.name && target.name !== uid ? `${target.name} (${uid})` : uid;
}

/** `stop +force`, `deallocate`, `stop (guest_os)`: the options that change what a stop means. */
export function actionCell(item: Pick<AuditEvent, 'action' | 'cause' | 'parameters'>): string {
  const base = item.action.startsWith('instance.') ? item.action.slice(9) : item.action;
  const flags: string[] = [];
  for (const [key, value] of Object.entries(item.parameters ?? {})) {
    if (value === true) flags.push(`+${key}`);
  }
  const cause = item.cause !== 'api_call' ? ` (${item.cause})` : '';
  return [base, ...flags].join(' ') + cause;
}

export function sourceCell(source: SourceEndpoint): string {
  const where = source.ip ?? source.service ?? '-';
  return `${where} ${source.clientKind}`;
}

export function outcomeCell(outcome: Outcome): string {
  if (outcome.status !== 'failure') return outcome.status;
  return outcome.code ? `failure ${outcome.code}` : 'failure';
}

export function targetsCell(event: AuditEvent): string {
  return event.targets.map(instanceCell).join(', ');
}

export function stopTargetsCell(stop: InstanceStop): string {
  return instanceCell(stop.instance);
}
