import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorOf } from './actor.ts';

const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

describe('actorOf', () => {
  it('should read a user from the long upn and object id claims', () => {
    const actor = actorOf({
      caller: 'a@b.example',
      claims: { [UPN]: 'a@b.example', [OID]: 'oid-1', name: 'A B', idtyp: 'user' },
    });
    assert.deepEqual([actor.type, actor.id, actor.name], ['user', 'oid-1', 'a@b.example']);
  });

  it('should read a user from unique_name when there is no upn', () => {
    const actor = actorOf({ claims: { unique_name: 'live.com#c@d.example', oid: 'oid-2' } });
    assert.deepEqual([actor.type, actor.id, actor.name], ['user', 'oid-2', 'live.com#c@d.example']);
  });

  it('should take principalType User from the RBAC evidence', () => {
    const actor = actorOf({
      authorization: { evidence: { principalType: 'User', principalId: 'abc' } },
    });
    assert.deepEqual([actor.type, actor.id], ['user', 'abc']);
  });

  it('should type a ServicePrincipal and chain it to its application id', () => {
    const actor = actorOf({
      caller: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      claims: { appid: 'app-9', idtyp: 'app', [OID]: 'oid-3' },
      authorization: { evidence: { principalType: 'ServicePrincipal', principalId: 'p' } },
    });
    assert.equal(actor.type, 'service_principal');
    assert.equal(actor.id, 'oid-3');
    assert.deepEqual(actor.chain, [{ type: 'service_principal', id: 'app-9', via: 'application' }]);
  });

  it('should type a bare GUID caller as a service principal', () => {
    const actor = actorOf({ caller: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' });
    assert.deepEqual(
      [actor.type, actor.id, actor.gap],
      ['service_principal', '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', undefined],
    );
  });

  it('should name a managed identity by its xms_mirid resource', () => {
    const mirid =
      '/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-stopper';
    const actor = actorOf({
      caller: 'oid-4',
      claims: { xms_mirid: mirid, idtyp: 'app', appid: 'x', [OID]: 'oid-4' },
    });
    assert.equal(actor.type, 'managed_identity');
    assert.equal(actor.name, 'id-stopper');
    assert.deepEqual(actor.chain, [
      { type: 'managed_identity', id: mirid, name: 'id-stopper', via: 'managed_identity' },
    ]);
  });

  it('should say so when nobody is named', () => {
    const actor = actorOf({});
    assert.equal(actor.type, 'unknown');
    assert.equal(actor.id, undefined);
    assert.ok(actor.gap && actor.gap.length > 0);
  });

  it('should read a service name written as the caller as a service', () => {
    assert.equal(actorOf({ caller: 'Microsoft.Compute' }).type, 'service');
  });

  it('should read mfa from the authentication methods claim', () => {
    const methods = 'http://schemas.microsoft.com/claims/authnmethodsreferences';
    assert.equal(
      actorOf({ caller: 'a@b.example', claims: { [methods]: 'pwd,mfa' } }).session?.mfa,
      true,
    );
    assert.equal(
      actorOf({ caller: 'a@b.example', claims: { [methods]: 'pwd' } }).session?.mfa,
      false,
    );
  });
});
