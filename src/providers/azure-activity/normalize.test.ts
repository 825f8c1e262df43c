import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { corpusPath } from '../../../test/corpus.ts';
import { assembleStops, isoTime, type AuditEvent } from '../../model/index.ts';
import { csvRows, fixturePath, readDocuments, readFile } from './_test-read.ts';
import { actorOf } from './actor.ts';
import { readFields } from './fields.ts';
import { normalize } from './normalize.ts';

const SUB = '8c4a5d2e-1f3b-4a6c-9d7e-0b1c2d3e4f5a';

function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}`);
  return items[0]!;
}

describe('normalize: the real SDK records of the corpus', () => {
  // Real published records (redacted): the reader must survive them and find their facts.
  const path = corpusPath('azure/plaso/azure_activity_log.jsonl');
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const documents = lines.map((line): unknown => JSON.parse(line));
  const read = readDocuments(documents, path);

  it('should read every record as an SDK record without an issue', () => {
    assert.equal(read.records, 4);
    assert.deepEqual(new Set(read.shapes), new Set(['azure-sdk']));
    assert.deepEqual(read.issues, []);
  });

  it('should find the VM delete Started by fakeemail@fakedomain.com at 2022-02-09T03:04:26.49265Z', () => {
    const deletion = only(read.events.filter((e) => e.action === 'instance.terminate'));
    assert.equal(isoTime(deletion.time), '2022-02-09T03:04:26.492Z');
    assert.equal(deletion.phase, 'begin');
    assert.equal(deletion.outcome.status, 'in_progress');
    assert.equal(deletion.actor.type, 'user');
    assert.equal(deletion.actor.name, 'fakeemail@fakedomain.com');
    assert.equal(deletion.source.ip, '1.2.3.4');
    assert.equal(deletion.targets[0]?.name, 'test-vm');
    assert.equal(deletion.correlationId, 'c0c54eb6-3a17-42e2-b6f6-37484ac276c4');
    assert.equal(deletion.id, 'azure:648230f9-fba4-4def-8a83-118b158b748a');
    assert.equal(deletion.scope.account, '12345678-9abc-defg-hijk-lmnopqrstuvw');
    assert.equal(deletion.scope.resourceGroup, 'test-resource-group');
  });

  it('should see the child disk delete by a service principal under the same correlation id', () => {
    // Disk deletes are no instance event, so the fact is checked on the record's own reading.
    const disk = documents.find((doc) =>
      JSON.stringify(doc).includes('"Microsoft.Compute/disks/delete"'),
    );
    const fields = readFields('azure-sdk', disk);
    assert.equal(fields.correlationId, 'c0c54eb6-3a17-42e2-b6f6-37484ac276c4');
    const actor = actorOf({
      caller: fields.caller,
      claims: fields.claims,
      authorization: fields.authorization,
    });
    assert.equal(actor.type, 'service_principal');
    assert.equal(actor.chain[0]?.via, 'application');
    assert.deepEqual(normalize(disk, { path, index: 0 }).events, []);
  });

  it('should find no stops, and a VM write by the same user', () => {
    assert.deepEqual(assembleStops(read.events), []);
    const write = only(read.events.filter((e) => e.action === 'instance.modify'));
    assert.equal(write.actor.name, 'fakeemail@fakedomain.com');
  });
});

describe('normalize: storage / Event Hub export {"records":[...]}', () => {
  const read = readFile(fixturePath('export-records-deallocate.json'), false);

  it('should read a deallocate Started/Accepted/Succeeded by a user as one successful stop', () => {
    assert.deepEqual(read.shapes, ['azure-export']);
    assert.deepEqual(read.issues, []);
    const phases = read.events.filter((e) => e.action === 'instance.deallocate');
    assert.deepEqual(
      phases.map((e) => e.phase),
      ['begin', 'accepted', 'end'],
    );
    const stop = only(assembleStops(read.events));
    assert.equal(stop.action, 'instance.deallocate');
    assert.equal(stop.outcome.status, 'success');
    assert.equal(stop.eventIds.length, 3);
    assert.equal(isoTime(stop.time), '2024-06-03T09:12:04.118Z');
    assert.equal(stop.endTime !== undefined && isoTime(stop.endTime), '2024-06-03T09:13:41.035Z');
    assert.equal(
      stop.instance.uid,
      `/subscriptions/${SUB}/resourcegroups/rg-prod-web/providers/microsoft.compute/virtualmachines/web-01`,
    );
    assert.equal(stop.instance.name, 'WEB-01');
    assert.equal(stop.scope.account, SUB);
    assert.equal(stop.scope.region, 'westeurope');
    assert.equal(stop.actor.type, 'user');
    assert.equal(stop.actor.name, 'maria.lopez@contoso.example');
    assert.equal(stop.actor.id, '4f2d9a61-7b3c-4e58-a0d1-9c8b7a6f5e43');
    assert.equal(stop.actor.session?.mfa, true);
    assert.equal(stop.source.ip, '203.0.113.24');
    assert.equal(stop.source.clientKind, 'console');
  });

  it('should give records without eventDataId stable, distinct hash ids', () => {
    const ids = read.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^azure:h[0-9a-f]{24}$/);
    const again = readFile(fixturePath('export-records-deallocate.json'), false);
    assert.deepEqual(
      again.events.map((e) => e.id),
      ids,
    );
    // Read twice (overlapping exports): still one stop.
    assert.equal(assembleStops([...read.events, ...again.events]).length, 1);
  });

  it('should read the diagnostic setting delete as a logging change and skip the NIC write', () => {
    const logging = only(read.events.filter((e) => e.action === 'logging.change'));
    assert.equal(logging.service, 'Microsoft.Insights');
    assert.equal(logging.targets[0]?.type, 'log_sink');
    assert.equal(read.records, 5);
    assert.equal(read.events.length, 4);
  });

  it('should keep unmapped fields, including the RBAC evidence', () => {
    const first = read.events[0]!;
    assert.equal(first.unmapped['durationMs'], 0);
    assert.equal(first.unmapped['category'], 'Administrative');
    const authorization = first.unmapped['authorization'] as { evidence?: { role?: string } };
    assert.equal(authorization.evidence?.role, 'Virtual Machine Contributor');
  });
});

describe('normalize: PT1H.json lines', () => {
  const read = readFile(fixturePath('PT1H.json'), true);

  it('should read a powerOff by a managed identity, with the identity resource in the chain', () => {
    assert.deepEqual(read.shapes, ['azure-export', 'azure-export', 'azure-export']);
    const stop = only(assembleStops(read.events));
    assert.equal(stop.action, 'instance.power_off');
    assert.equal(stop.outcome.status, 'success');
    assert.equal(stop.actor.type, 'managed_identity');
    assert.equal(stop.actor.name, 'aa-nightly-shutdown');
    const hop = only(stop.actor.chain);
    assert.equal(hop.via, 'managed_identity');
    assert.match(hop.id, /Microsoft\.Automation\/automationAccounts\/aa-nightly-shutdown$/);
    assert.equal(stop.source.clientKind, 'scheduler');
    assert.equal(stop.scope.resourceGroup, 'RG-BATCH');
  });
});

describe('normalize: az monitor activity-log list', () => {
  const read = readFile(fixturePath('az-activity-log-list.json'), false);
  const stops = assembleStops(read.events);

  it('should read a failed deallocate with the AuthorizationFailed code and message', () => {
    assert.deepEqual(read.shapes, ['azure-cli']);
    const failed = only(stops.filter((s) => s.instance.name === 'db-primary'));
    assert.equal(failed.outcome.status, 'failure');
    assert.equal(failed.outcome.code, 'AuthorizationFailed');
    assert.match(failed.outcome.message ?? '', /does not have authorization to perform action/);
    assert.equal(failed.actor.name, 'dev.contractor@contoso.example');
    assert.equal(failed.source.clientKind, 'cli');
    assert.equal(failed.source.ip, '198.51.100.7');
    assert.equal(failed.scope.resourceGroup, 'rg-data');
  });

  it('should read a scale-set VM deallocate as a scale_set_instance stop', () => {
    const vmss = only(stops.filter((s) => s.instance.type === 'scale_set_instance'));
    assert.equal(vmss.action, 'instance.deallocate');
    assert.equal(vmss.outcome.status, 'success');
    assert.equal(vmss.instance.name, 'vmss-api_3');
    assert.match(vmss.instance.uid, /\/virtualmachinescalesets\/vmss-api\/virtualmachines\/3$/);
    assert.equal(vmss.source.clientKind, 'cli');
    assert.deepEqual(vmss.eventIds, [
      'azure:22222222-3333-4444-8555-666666666601',
      'azure:22222222-3333-4444-8555-666666666602',
      'azure:22222222-3333-4444-8555-666666666603',
    ]);
  });

  it('should count Started and Accepted only as accepted, not failed', () => {
    // The same operation with its Succeeded record not (yet) exported.
    const unfinished = read.events.filter(
      (e) => e.phase !== 'end' && e.targets[0]?.type === 'scale_set_instance',
    );
    assert.equal(unfinished.length, 2);
    const stop = only(assembleStops(unfinished));
    assert.equal(stop.outcome.status, 'accepted');
  });
});

describe('normalize: a service principal known only by a GUID caller', () => {
  it('should type the actor service_principal from the REST page record', () => {
    const read = readFile(fixturePath('rest-page-service-principal.json'), false);
    const stop = only(assembleStops(read.events));
    assert.equal(stop.action, 'instance.power_off');
    assert.equal(stop.actor.type, 'service_principal');
    assert.equal(stop.actor.id, '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0');
    assert.equal(stop.actor.gap, undefined);
    assert.equal(stop.source.clientKind, 'unknown');
  });
});

describe('normalize: Log Analytics AzureActivity', () => {
  it('should read query API tables with UPPER-CASE operation names as one stop', () => {
    const read = readFile(fixturePath('log-analytics-query.json'), false);
    assert.deepEqual(read.shapes, ['azure-log-analytics']);
    assert.equal(read.records, 3);
    const stop = only(assembleStops(read.events));
    assert.equal(stop.action, 'instance.deallocate');
    assert.equal(stop.outcome.status, 'success');
    assert.equal(stop.operation, 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION');
    assert.equal(stop.actor.name, 'sam.admin@contoso.example');
    assert.equal(stop.source.clientKind, 'console');
    assert.equal(stop.scope.resourceGroup, 'RG-APP');
    assert.equal(stop.instance.name, 'app-03');
  });

  it('should read flat rows of a whole scale-set powerOff', () => {
    const read = readFile(fixturePath('log-analytics-rows.jsonl'), true);
    const stop = only(assembleStops(read.events));
    assert.equal(stop.action, 'instance.power_off');
    assert.equal(stop.instance.type, 'scale_set_instance');
    assert.equal(stop.instance.name, 'vmss-workers');
    assert.equal(stop.outcome.status, 'success');
  });

  it('should read CSV rows whose JSON columns are strings and whose time is the portal form', () => {
    const rows = csvRows(fixturePath('log-analytics-export.csv'));
    assert.equal(rows.length, 2);
    const read = readDocuments(rows, 'export.csv');
    assert.deepEqual(read.shapes, ['azure-log-analytics', 'azure-log-analytics']);
    assert.deepEqual(read.issues, []);
    const event: AuditEvent = read.events[1]!;
    assert.equal(isoTime(event.time), '2024-06-10T07:45:12.031Z');
    assert.equal(event.outcome.status, 'failure');
    assert.equal(event.outcome.code, 'OperationNotAllowed');
    assert.match(event.outcome.message ?? '', /marked for deletion/);
    assert.equal(event.actor.id, '4f2d9a61-7b3c-4e58-a0d1-9c8b7a6f5e43');
    assert.equal(event.source.clientKind, 'cli');
    assert.equal(event.raw.index, 1);
    const stop = only(assembleStops(read.events));
    assert.equal(stop.outcome.status, 'failure');
    assert.equal(isoTime(stop.time), '2024-06-10T07:45:11.402Z');
  });
});

describe('normalize: records it must report', () => {
  const at = { path: 'bad.json', index: 7 };
  it('should report a stop record without time as a missing field', () => {
    const result = normalize(
      {
        operationName: { value: 'Microsoft.Compute/virtualMachines/deallocate/action' },
        resourceId: '/subscriptions/a/x',
      },
      at,
    );
    assert.equal(result.issue?.type, 'missing_field');
    assert.equal(result.issue?.field, 'eventTimestamp');
    assert.deepEqual(result.issue?.at, at);
  });

  it('should report an unparseable time as an invalid field', () => {
    const result = normalize(
      {
        time: 'yesterday',
        operationName: 'Microsoft.Compute/virtualMachines/powerOff/action',
        resourceId: '/subscriptions/a/vm',
      },
      at,
    );
    assert.equal(result.issue?.type, 'invalid_field');
    assert.equal(result.issue?.field, 'time');
  });

  it('should make an explicit unknown actor with a gap when the record names nobody', () => {
    const result = normalize(
      {
        time: '2024-01-01T00:00:00Z',
        operationName: 'Microsoft.Compute/virtualMachines/deallocate/action',
        resourceId:
          '/subscriptions/a/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v',
        resultType: 'Success',
      },
      at,
    );
    const event = only(result.events);
    assert.equal(event.actor.type, 'unknown');
    assert.match(event.actor.gap ?? '', /no caller/);
  });

  it('should report a non-Azure value as the wrong shape', () => {
    assert.equal(normalize(42, at).issue?.type, 'wrong_shape');
    assert.equal(normalize({ eventName: 'StopInstances' }, at).issue?.type, 'wrong_shape');
  });
});
