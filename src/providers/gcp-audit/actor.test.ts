import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_AUTHENTICATION_GAP, readActor, serviceAgentOf } from './actor.ts';

describe('readActor', () => {
  it('should say who is missing when authenticationInfo is empty or absent', () => {
    for (const auth of [{}, undefined, { principalEmail: '' }]) {
      assert.deepEqual(readActor(auth, { system: false }), {
        type: 'unknown',
        chain: [],
        gap: EMPTY_AUTHENTICATION_GAP,
      });
    }
  });

  it('should make Google the actor of a system event, with the gap when unnamed', () => {
    assert.deepEqual(readActor({}, { system: true }), {
      type: 'provider_system',
      chain: [],
      gap: EMPTY_AUTHENTICATION_GAP,
    });
    const named = readActor({ principalEmail: 'system@google.com' }, { system: true });
    assert.equal(named.type, 'provider_system');
    assert.equal(named.id, 'system@google.com');
    assert.equal(named.gap, undefined);
  });

  it('should tell users, service accounts and federated principals apart', () => {
    assert.equal(readActor({ principalEmail: 'a@example.com' }, { system: false }).type, 'user');
    const sa = readActor(
      { principalEmail: 'bot@other-proj.iam.gserviceaccount.com' },
      { system: false, project: 'p' },
    );
    assert.equal(sa.type, 'service_account');
    assert.equal(sa.account, 'other-proj');
    assert.equal(
      readActor(
        { principalEmail: 'bot@p1.iam.gserviceaccount.com' },
        { system: false, project: 'p1' },
      ).account,
      undefined,
    );
    const workforce = readActor(
      {
        principalSubject:
          'principal://iam.googleapis.com/locations/global/workforcePools/pool/subject/jane@corp.example',
      },
      { system: false },
    );
    assert.equal(workforce.type, 'federated_user');
    assert.equal(workforce.name, 'jane@corp.example');
  });

  it('should keep the service account key that was used', () => {
    const key =
      '//iam.googleapis.com/projects/p/serviceAccounts/bot@p.iam.gserviceaccount.com/keys/0123abcd';
    const actor = readActor(
      { principalEmail: 'bot@p.iam.gserviceaccount.com', serviceAccountKeyName: key },
      { system: false },
    );
    assert.equal(actor.session?.accessKeyId, key);
  });

  it('should read every delegation hop in order, first and third party, skipping empty ones', () => {
    const actor = readActor(
      {
        principalEmail: 'target@p.iam.gserviceaccount.com',
        serviceAccountDelegationInfo: [
          {
            firstPartyPrincipal: {
              principalEmail: 'service-1@compute-system.iam.gserviceaccount.com',
            },
          },
          {},
          {
            thirdPartyPrincipal: {
              thirdPartyClaims: {
                iss: 'https://token.actions.githubusercontent.com',
                sub: 'repo:acme/app:ref:refs/heads/main',
              },
            },
          },
          { firstPartyPrincipal: { principalEmail: 'dave@example.com' } },
        ],
      },
      { system: false },
    );
    assert.deepEqual(actor.chain, [
      {
        type: 'service_account',
        id: 'service-1@compute-system.iam.gserviceaccount.com',
        via: 'service',
      },
      {
        type: 'federated_user',
        id: 'repo:acme/app:ref:refs/heads/main',
        name: 'repo:acme/app:ref:refs/heads/main',
        via: 'web_identity',
      },
      { type: 'user', id: 'dave@example.com', via: 'impersonation' },
    ]);
  });
});

describe('serviceAgentOf', () => {
  it('should recognise Google-managed agents only', () => {
    assert.equal(
      serviceAgentOf('123@cloudservices.gserviceaccount.com'),
      'cloudservices.gserviceaccount.com',
    );
    assert.equal(
      serviceAgentOf('service-9@gcp-sa-cloudscheduler.iam.gserviceaccount.com'),
      'gcp-sa-cloudscheduler.iam.gserviceaccount.com',
    );
    assert.equal(serviceAgentOf('service-9@my-project.iam.gserviceaccount.com'), undefined);
    assert.equal(serviceAgentOf('alice@example.com'), undefined);
    assert.equal(serviceAgentOf(undefined), undefined);
  });
});
