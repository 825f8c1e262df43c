import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Actor, EpochMs } from '../model/index.ts';
import {
  describeResolved,
  recordPrincipal,
  resolveActor,
  type CredentialLink,
  type IdentityLookup,
} from './identity-chain.ts';

/** An in-memory lookup: resolution is a pure walk over links, whatever stores them. */
function lookupOf(
  links: readonly CredentialLink[],
  names: Record<string, string> = {},
): IdentityLookup {
  const byKey = new Map(links.map((l) => [l.accessKeyId, l]));
  return {
    credential: async (key) => byKey.get(key),
    principalName: async (id) => names[id],
  };
}

function session(n: number): Actor {
  return {
    type: 'assumed_role',
    id: `arn:aws:sts::1:assumed-role/R${n}/s${n}`,
    name: `R${n}/s${n}`,
    chain: [],
    session: { name: `s${n}`, accessKeyId: `ASIA${n}` },
  };
}

function link(key: string, issuer: Actor, operation = 'AssumeRole'): CredentialLink {
  return {
    accessKeyId: key,
    eventId: `aws:${key}`,
    operation,
    time: 0 as EpochMs,
    issuer,
    raw: { path: 'x', index: 0 },
  };
}

const USER: Actor = { type: 'user', id: 'arn:aws:iam::1:user/alice', name: 'alice', chain: [] };

describe('resolveActor', () => {
  it('should follow SAML federation to the identity provider user', async () => {
    const saml: Actor = {
      type: 'federated_user',
      id: 'saml:frank@example.com',
      name: 'frank@example.com',
      chain: [],
    };
    const resolved = await resolveActor(
      'aws',
      session(1),
      lookupOf([link('ASIA1', saml, 'AssumeRoleWithSAML')]),
    );
    assert.equal(resolved.origin.name, 'frank@example.com');
    assert.deepEqual(
      resolved.hops.map((h) => h.via),
      ['saml'],
    );
  });

  it('should keep the sourceIdentity when the first link is missing', async () => {
    const actor: Actor = {
      ...session(1),
      session: { accessKeyId: 'ASIA1', sourceIdentity: 'grace' },
    };
    const resolved = await resolveActor('aws', actor, lookupOf([]));
    assert.equal(resolved.origin.name, 'grace');
    assert.match(resolved.missing ?? '', /"ASIA1"/);
  });

  it('should not call a plain IAM user with a long-term key incomplete', async () => {
    const resolved = await resolveActor(
      'aws',
      { ...USER, session: { accessKeyId: 'AKIAXYZ' } },
      lookupOf([]),
    );
    assert.deepEqual(resolved, { origin: { type: 'user', id: USER.id, name: 'alice' }, hops: [] });
  });

  it('should report an unknown caller with the gap the provider gave', async () => {
    const resolved = await resolveActor(
      'gcp',
      { type: 'unknown', chain: [], gap: 'protoPayload.authenticationInfo is empty' },
      lookupOf([]),
    );
    assert.equal(resolved.missing, 'protoPayload.authenticationInfo is empty');
  });

  it('should say so when a role session carries no access key to follow', async () => {
    const actor: Actor = { type: 'assumed_role', id: 'arn:aws:sts::1:assumed-role/R/s', chain: [] };
    const resolved = await resolveActor('aws', actor, lookupOf([]));
    assert.match(resolved.missing ?? '', /carries no access key/);
    const sso: Actor = {
      type: 'assumed_role',
      id: 'arn:aws:sts::1:assumed-role/AWSReservedSSO_Read_9/bo@x',
      chain: [],
      session: { name: 'bo@x' },
    };
    assert.equal((await resolveActor('aws', sso, lookupOf([]))).origin.name, 'bo@x');
  });

  it('should stop on a cycle of links instead of looping', async () => {
    const resolved = await resolveActor(
      'aws',
      session(1),
      lookupOf([link('ASIA1', session(2)), link('ASIA2', session(1))]),
    );
    assert.equal(resolved.hops.length, 2);
  });

  it('should reach the user at the end of any role chain of up to ten hops', async () => {
    // Property: a chain of n sessions, each issued by the next, ends at the user.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), async (n) => {
        const links = Array.from({ length: n }, (_, i) =>
          link(`ASIA${i + 1}`, i + 1 < n ? session(i + 2) : USER),
        );
        const resolved = await resolveActor('aws', session(1), lookupOf(links));
        assert.equal(resolved.origin.id, USER.id);
        assert.equal(resolved.hops.length, n);
        assert.equal(resolved.missing, undefined);
        assert.match(describeResolved(resolved), /^alice/);
      }),
    );
  });

  it('should name GUID hops of an Azure chain from the directory', async () => {
    const actor: Actor = {
      type: 'managed_identity',
      id: 'guid-a',
      name: 'vm-identity',
      chain: [{ type: 'service_principal', id: 'guid-b', via: 'application' }],
    };
    const resolved = await resolveActor('azure', actor, lookupOf([], { 'guid-b': 'Deploy App' }));
    assert.equal(resolved.hops[0]?.name, 'Deploy App');
    assert.equal(resolved.origin.name, 'vm-identity');
  });
});

describe('resolveActor on Azure', () => {
  it('should name a service principal from its application id when the export lists app ids', async () => {
    const actor: Actor = {
      type: 'service_principal',
      id: 'obj-1',
      name: 'app-1',
      chain: [{ type: 'service_principal', id: 'app-1', via: 'application' }],
    };
    const named = await resolveActor(
      'azure',
      { ...actor, name: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0' },
      lookupOf([], { 'app-1': 'Backup App' }),
    );
    assert.equal(named.origin.name, 'Backup App');
    assert.equal(named.origin.id, 'obj-1');
  });
});

describe('recordPrincipal', () => {
  it('should take the last GCP delegation hop and the SSO session name', () => {
    assert.equal(
      recordPrincipal('gcp', {
        type: 'service_account',
        id: 'sa',
        chain: [{ type: 'user', id: 'u@x', via: 'impersonation' }],
      }),
      'u@x',
    );
    assert.equal(
      recordPrincipal('aws', {
        type: 'assumed_role',
        id: 'arn:aws:sts::1:assumed-role/AWSReservedSSO_A_1/u@x',
        chain: [],
        session: { name: 'u@x' },
      }),
      'u@x',
    );
    assert.equal(recordPrincipal('aws', USER), USER.id);
  });
});
