import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readActor } from './actor.ts';

const ACCOUNT = '111122223333';

describe('readActor', () => {
  it('should read an IAM user with its key', () => {
    const { actor, consumed } = readActor({
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    });
    assert.deepEqual(actor, {
      type: 'user',
      id: `arn:aws:iam::${ACCOUNT}:user/alice`,
      name: 'alice',
      account: ACCOUNT,
      session: { accessKeyId: 'AKIAEXAMPLE' },
      chain: [],
    });
    // The principal id is not mapped when the ARN is the id: it stays for unmapped.
    assert.ok(!consumed.includes('userIdentity.principalId'));
    assert.ok(consumed.includes('userIdentity.userName'));
  });

  it('should read Root with the service that called for it', () => {
    const { actor } = readActor({
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      invokedBy: 'autoscaling.amazonaws.com',
    });
    assert.equal(actor.type, 'root');
    assert.equal(actor.name, 'root');
    assert.equal(actor.invokedBy, 'autoscaling.amazonaws.com');
  });

  it('should read an assumed-role session with its issuer, MFA, creation and console flag', () => {
    const { actor } = readActor(
      {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLE:bob',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`,
        accountId: ACCOUNT,
        accessKeyId: 'ASIAEXAMPLE',
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            arn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
            userName: 'Admin',
          },
          attributes: { creationDate: '2025-01-01T10:00:00Z', mfaAuthenticated: 'true' },
          sourceIdentity: 'bob@example.com',
        },
      },
      'true',
    );
    assert.equal(actor.type, 'assumed_role');
    assert.equal(actor.name, 'Admin/bob');
    assert.deepEqual(actor.session, {
      name: 'bob',
      issuer: `arn:aws:iam::${ACCOUNT}:role/Admin`,
      issuerType: 'Role',
      createdAt: Date.parse('2025-01-01T10:00:00Z'),
      mfa: true,
      sourceIdentity: 'bob@example.com',
      accessKeyId: 'ASIAEXAMPLE',
      console: true,
    });
    assert.deepEqual(actor.chain, [
      {
        type: 'assumed_role',
        id: `arn:aws:iam::${ACCOUNT}:role/Admin`,
        name: 'Admin',
        via: 'assume_role',
      },
    ]);
  });

  it('should read a web identity session with its provider as a hop', () => {
    const { actor } = readActor({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/GitHubDeploy/run-42`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: `arn:aws:iam::${ACCOUNT}:role/GitHubDeploy`,
          userName: 'GitHubDeploy',
        },
        webIdFederationData: {
          federatedProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        },
      },
    });
    assert.deepEqual(
      actor.chain.map((hop) => hop.via),
      ['assume_role', 'web_identity'],
    );
  });

  it('should read a federated user with the IAM user that asked for the token', () => {
    const { actor } = readActor({
      type: 'FederatedUser',
      principalId: `${ACCOUNT}:fed`,
      arn: `arn:aws:sts::${ACCOUNT}:federated-user/fed`,
      accountId: ACCOUNT,
      sessionContext: {
        sessionIssuer: {
          type: 'IAMUser',
          arn: `arn:aws:iam::${ACCOUNT}:user/carol`,
          userName: 'carol',
        },
      },
    });
    assert.equal(actor.type, 'federated_user');
    assert.equal(actor.name, 'fed');
    assert.deepEqual(actor.chain, [
      {
        type: 'user',
        id: `arn:aws:iam::${ACCOUNT}:user/carol`,
        name: 'carol',
        via: 'federation_token',
      },
    ]);
  });

  it('should read services, Identity Center, SAML and web identity users', () => {
    assert.deepEqual(readActor({ type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }).actor, {
      type: 'service',
      id: 'ec2.amazonaws.com',
      name: 'ec2.amazonaws.com',
      invokedBy: 'ec2.amazonaws.com',
      chain: [],
    });
    const center = readActor({
      type: 'IdentityCenterUser',
      accountId: ACCOUNT,
      onBehalfOf: { userId: 'u-1', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' },
    });
    assert.deepEqual([center.actor.type, center.actor.id], ['user', 'u-1']);
    const saml = readActor({
      type: 'SAMLUser',
      principalId: 'SAMLissuer:dave',
      userName: 'dave',
      identityProvider: 'arn:aws:iam::1:saml-provider/Okta',
    });
    assert.deepEqual(
      [saml.actor.type, saml.actor.name, saml.actor.chain[0]?.via],
      ['federated_user', 'dave', 'saml'],
    );
    const web = readActor({
      type: 'WebIdentityUser',
      principalId: 'accounts.google.com:123',
      userName: '123',
      identityProvider: 'accounts.google.com',
    });
    assert.equal(web.actor.chain[0]?.via, 'web_identity');
  });

  it('should say what is missing when the log names nobody', () => {
    for (const identity of [undefined, null, {}, 'x']) {
      const { actor } = readActor(identity);
      assert.equal(actor.type, 'unknown');
      assert.ok(actor.gap && actor.gap.length > 0);
    }
    const account = readActor({
      type: 'AWSAccount',
      principalId: 'AIDAOTHER',
      accountId: '444455556666',
    }).actor;
    assert.deepEqual(
      [account.type, account.id, account.account],
      ['unknown', 'AIDAOTHER', '444455556666'],
    );
    assert.match(account.gap ?? '', /another AWS account/);
    const bare = readActor({ type: 'Unknown' }).actor;
    assert.match(bare.gap ?? '', /names no principal/);
  });
});
