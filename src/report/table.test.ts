import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleEvent, sampleStop } from '../pipeline/_sample.ts';
import { describeActor } from './describe-actor.ts';
import { renderEventsTable, renderStopsTable } from './table.ts';

describe('renderStopsTable', () => {
  it('should show time, cloud, account, instance, action with force, actor, source and outcome', () => {
    const text = renderStopsTable([sampleStop()]);
    for (const expected of [
      '2024-08-01T12:03:30Z',
      'AWS',
      '309303190113',
      'i-0abc',
      'stop +force',
      'christophe',
      '251.228.255.218 cli',
      'success',
    ]) {
      assert.ok(text.includes(expected), `missing ${expected} in\n${text}`);
    }
  });

  it('should say there were no stops rather than print a header over nothing', () => {
    assert.equal(renderStopsTable([]), 'No stops found.\n');
  });

  it('should say the actor is unknown and why when the log names nobody', () => {
    const text = renderStopsTable([
      sampleStop({ actor: { type: 'unknown', chain: [], gap: 'authenticationInfo' } }),
    ]);
    assert.ok(text.includes('(unknown: authenticationInfo)'), text);
  });

  it('should print no terminal escape sequences from log text', () => {
    const text = renderStopsTable([
      sampleStop({
        source: { ip: '1.2.3.4', userAgent: 'x', clientKind: 'unknown' },
        actor: { type: 'user', name: 'evil\u001b[2J\u001b]0;pwned\u0007', chain: [] },
      }),
    ]);
    assert.ok(!text.includes('\u001b'), 'an ESC byte reached the table');
    assert.ok(!text.includes('\u0007'));
    assert.ok(text.includes('evil\\u001b[2J'));
  });

  it('should cut long cells to fit a terminal, and keep them whole for a pipe', () => {
    // A pipe feeds grep: the whole chain must be there. A terminal must not wrap.
    const actor = {
      type: 'service_account' as const,
      id: 'ops-automation@acme-prod-3f9a.iam.gserviceaccount.com',
      chain: [
        { type: 'user' as const, id: 'j.doe.contractor@gmail.com', via: 'impersonation' as const },
      ],
    };
    const piped = renderStopsTable([sampleStop({ actor })]);
    assert.ok(piped.includes('ops-automation@acme-prod-3f9a.iam.gserviceaccount.com via j.doe'));
    const fitted = renderStopsTable([sampleStop({ actor })], { fit: true });
    assert.ok(fitted.includes('…'), fitted);
    assert.ok(!fitted.includes('j.doe.contractor@gmail.com'), fitted);
    const widest = Math.max(...fitted.split('\n').map((line) => line.trimEnd().length));
    assert.ok(widest < 240, `a fitted row is ${widest} characters`);
  });

  it('should show failures with their provider code', () => {
    const text = renderStopsTable([
      sampleStop({ outcome: { status: 'failure', code: 'Client.InvalidInstanceID.Malformed' } }),
    ]);
    assert.ok(text.includes('failure Client.InvalidInstanceID.Malformed'), text);
  });
});

describe('renderEventsTable', () => {
  it('should list each event with its operation and targets', () => {
    const text = renderEventsTable([
      sampleEvent({
        action: 'instance.modify',
        operation: 'ModifyInstanceAttribute',
        parameters: {},
      }),
    ]);
    assert.ok(text.includes('modify ModifyInstanceAttribute'), text);
    assert.ok(text.includes('i-0abc'));
  });
});

describe('describeActor', () => {
  it('should summarise the role behind a session and the delegation chain', () => {
    const text = describeActor({
      type: 'assumed_role',
      id: 'arn:aws:sts::1:assumed-role/Ops/alice',
      name: 'Ops/alice',
      session: { issuer: 'arn:aws:iam::1:role/Ops', sourceIdentity: 'alice@corp', mfa: true },
      chain: [{ type: 'user', id: 'arn:aws:iam::1:user/alice', name: 'alice', via: 'assume_role' }],
      invokedBy: 'ssm.amazonaws.com',
    });
    assert.equal(
      text,
      'Ops/alice as Ops source alice@corp via alice invoked by ssm.amazonaws.com mfa',
    );
  });
});
