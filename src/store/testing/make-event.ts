import type {
  Actor,
  AuditEvent,
  EpochMs,
  IssuedCredential,
  Phase,
  ProviderId,
  Target,
} from '../../model/index.ts';
import type { Action, Outcome, Scope } from '../../model/index.ts';

/** What a test says about an event; everything else gets a plain default. */
export interface EventSpec {
  readonly id: string;
  readonly provider?: ProviderId;
  readonly action?: Action;
  readonly operation?: string;
  readonly time: number | string;
  readonly instances?: readonly (string | Target)[];
  readonly actor?: Partial<Actor>;
  readonly outcome?: Outcome;
  readonly phase?: Phase;
  readonly scope?: Scope;
  readonly correlationId?: string;
  readonly issued?: IssuedCredential;
  readonly ip?: string;
  readonly path?: string;
  readonly index?: number;
}

/**
 * Builds a model event for store tests, the way a provider would. The providers are written
 * in parallel; these events follow `model/event.ts`, the contract both sides share.
 *
 * @example
 * makeEvent({ id: 'aws:e1', time: '2024-08-01T12:03:30Z', instances: ['i-1'] });
 */
export function makeEvent(spec: EventSpec): AuditEvent {
  const provider = spec.provider ?? 'aws';
  const time = (typeof spec.time === 'string' ? Date.parse(spec.time) : spec.time) as EpochMs;
  const actor: Actor = {
    type: 'user',
    id: 'arn:aws:iam::111111111111:user/alice',
    name: 'alice',
    chain: [],
    ...spec.actor,
  };
  return {
    id: spec.id,
    provider,
    action: spec.action ?? 'instance.stop',
    operation: spec.operation ?? 'StopInstances',
    service:
      provider === 'aws'
        ? 'ec2.amazonaws.com'
        : provider === 'gcp'
          ? 'compute.googleapis.com'
          : 'Microsoft.Compute',
    time,
    cause: 'api_call',
    phase: spec.phase ?? 'single',
    outcome: spec.outcome ?? { status: 'success' },
    scope: spec.scope ?? { account: '111111111111', region: 'eu-west-1' },
    actor,
    source: { ip: spec.ip ?? '203.0.113.7', userAgent: 'aws-cli/2.17.32', clientKind: 'cli' },
    targets: (spec.instances ?? []).map((t) =>
      typeof t === 'string' ? { type: 'instance', uid: t } : t,
    ),
    eventId: spec.id.split(':').slice(1).join(':'),
    ...(spec.correlationId ? { correlationId: spec.correlationId } : {}),
    ...(spec.issued ? { issued: spec.issued } : {}),
    unmapped: {},
    raw: { path: spec.path ?? 'test.json', index: spec.index ?? 0 },
  };
}
