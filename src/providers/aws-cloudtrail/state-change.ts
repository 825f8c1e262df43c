import type { AuditEvent, RawPointer } from '../../model/index.ts';
import { toEpochMs } from '../../model/index.ts';
import type { Normalized } from '../provider.ts';
import { digString, type JsonObject } from './_access.ts';
import { quote, skipped } from '../_issue.ts';
import { collectUnmapped } from './unmapped.ts';
import { STATE_CHANGE } from './unwrap.ts';

const CONSUMED = new Set([
  'id',
  'time',
  'account',
  'region',
  'source',
  'detail-type',
  'detail.instance-id',
  'detail.state',
]);

/**
 * An EventBridge "EC2 Instance State-change Notification": EC2 reporting that an instance
 * changed state. It is no API call and never a stop by itself (the call behind it, if
 * any, is its own CloudTrail record), so it is an `instance.state_change` whose actor is
 * the provider with a `gap` saying no caller is named.
 *
 * @example
 * normalizeStateChange(envelope, at).events[0]?.action; // 'instance.state_change'
 */
export function normalizeStateChange(envelope: JsonObject, at: RawPointer): Normalized {
  const where = 'Cannot read EC2 state-change notification';
  const id = digString(envelope, 'id');
  if (!id) return skipped('missing_field', at, `${where}: it has no "id"`, 'id');
  const time = toEpochMs(envelope.time);
  if (time === undefined) {
    return envelope.time === undefined
      ? skipped('missing_field', at, `${where}: it has no "time"`, 'time')
      : skipped(
          'invalid_field',
          at,
          `${where}: "time" is not a timestamp: ${quote(envelope.time)}`,
          'time',
        );
  }
  const instance = digString(envelope, 'detail', 'instance-id');
  if (!instance)
    return skipped(
      'missing_field',
      at,
      `${where}: it has no "detail.instance-id"`,
      'detail.instance-id',
    );
  const state = digString(envelope, 'detail', 'state');
  const account = digString(envelope, 'account');
  const region = digString(envelope, 'region');
  const event: AuditEvent = {
    id: `aws:${id}`,
    provider: 'aws',
    action: 'instance.state_change',
    operation: STATE_CHANGE,
    service: 'ec2.amazonaws.com',
    time,
    cause: 'state_notification',
    phase: 'single',
    outcome: { status: 'success' },
    scope: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
    actor: {
      type: 'provider_system',
      id: digString(envelope, 'source') ?? 'aws.ec2',
      chain: [],
      gap: 'A state-change notification names no API caller: look for the CloudTrail call that caused it',
    },
    source: { service: 'ec2.amazonaws.com', clientKind: 'cloud_service' },
    targets: [{ type: 'instance', uid: instance, ...(state ? { stateAfter: state } : {}) }],
    eventId: id,
    correlationId: id,
    unmapped: collectUnmapped(envelope, CONSUMED),
    raw: at,
  };
  return { events: [event] };
}
