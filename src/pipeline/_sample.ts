import type { AuditEvent, EpochMs, InstanceStop } from '../model/index.ts';

/*
 * Small hand-built model values for tests of the stages after normalization (filters,
 * reports), so they do not depend on any provider's parsing.
 */

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export function sampleEvent(overrides: Mutable<AuditEvent> = {}): AuditEvent {
  return {
    id: 'aws:11111111-2222-3333-4444-555555555555',
    provider: 'aws',
    action: 'instance.stop',
    operation: 'StopInstances',
    service: 'ec2.amazonaws.com',
    time: Date.parse('2024-08-01T12:03:30Z') as EpochMs,
    cause: 'api_call',
    phase: 'single',
    outcome: { status: 'success' },
    scope: { account: '309303190113', region: 'us-east-1' },
    actor: {
      type: 'user',
      id: 'arn:aws:iam::309303190113:user/christophe',
      name: 'christophe',
      chain: [],
    },
    source: { ip: '251.228.255.218', userAgent: 'aws-cli/2.17.32', clientKind: 'cli' },
    targets: [{ type: 'instance', uid: 'i-0abc', stateBefore: 'running', stateAfter: 'stopping' }],
    eventId: '11111111-2222-3333-4444-555555555555',
    correlationId: 'req-1',
    parameters: { force: true },
    unmapped: { readOnly: false },
    raw: { path: 'trail.json', index: 3 },
    ...overrides,
  } as AuditEvent;
}

export function sampleStop(overrides: Mutable<InstanceStop> = {}): InstanceStop {
  return {
    id: 'aws:req-1:instance.stop:i-0abc',
    provider: 'aws',
    action: 'instance.stop',
    operation: 'StopInstances',
    cause: 'api_call',
    time: Date.parse('2024-08-01T12:03:30Z') as EpochMs,
    outcome: { status: 'success' },
    instance: { type: 'instance', uid: 'i-0abc', stateBefore: 'running', stateAfter: 'stopping' },
    scope: { account: '309303190113', region: 'us-east-1' },
    actor: {
      type: 'user',
      id: 'arn:aws:iam::309303190113:user/christophe',
      name: 'christophe',
      chain: [],
    },
    source: { ip: '251.228.255.218', userAgent: 'aws-cli/2.17.32', clientKind: 'cli' },
    parameters: { force: true },
    correlationId: 'req-1',
    eventIds: ['aws:11111111-2222-3333-4444-555555555555'],
    raws: [{ path: 'trail.json', index: 3 }],
    ...overrides,
  } as InstanceStop;
}
