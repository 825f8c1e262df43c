import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { csvRows, fixturePath } from './_test-read.ts';
import { unwrap } from './unwrap.ts';

function json(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8'));
}

function shapeOf(doc: unknown, container?: string): string | undefined {
  const found = unwrap(doc, container !== undefined ? { container } : {});
  return found?.kind === 'records' ? found.shape : undefined;
}

describe('unwrap', () => {
  it('should recognise whole wrappers and say how many records they hold', () => {
    const exported = unwrap(json('export-records-deallocate.json'), {});
    assert.equal(exported?.kind === 'records' && exported.shape, 'azure-export');
    assert.equal(exported?.kind === 'records' && exported.records.length, 5);
    assert.equal(shapeOf(json('az-activity-log-list.json')), 'azure-cli');
    assert.equal(shapeOf(json('rest-page-service-principal.json')), 'azure-cli');
    const query = unwrap(json('log-analytics-query.json'), {});
    assert.equal(query?.kind === 'records' && query.shape, 'azure-log-analytics');
    const row = query?.kind === 'records' ? (query.records[0] as Record<string, unknown>) : {};
    assert.equal(row['OperationNameValue'], 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION');
    assert.equal(row['ActivityStatusValue'], 'Start');
  });

  it('should recognise one record the framer cut out of a wrapper', () => {
    const wrapper = json('export-records-deallocate.json') as { records: unknown[] };
    assert.equal(shapeOf(wrapper.records[0], 'records'), 'azure-export');
    const page = json('rest-page-service-principal.json') as { value: unknown[] };
    assert.equal(shapeOf(page.value[0], 'value'), 'azure-cli');
    const query = json('log-analytics-query.json') as { tables: unknown[] };
    assert.equal(shapeOf(query.tables[0], 'tables'), 'azure-log-analytics');
    const line = readFileSync(fixturePath('PT1H.json'), 'utf8').split('\n')[0]!;
    assert.equal(shapeOf(JSON.parse(line)), 'azure-export');
    const [row] = csvRows(fixturePath('log-analytics-export.csv'));
    assert.equal(shapeOf(row), 'azure-log-analytics');
  });

  it('should recognise an SDK record', () => {
    assert.equal(
      shapeOf({ operation_name: { value: 'x' }, event_timestamp: '2024-01-01T00:00:00Z' }),
      'azure-sdk',
    );
  });

  it('should leave other clouds and other JSON alone', () => {
    const cloudTrail = {
      eventVersion: '1.08',
      eventName: 'StopInstances',
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 'ec2.amazonaws.com',
    };
    const gcp = {
      protoPayload: { methodName: 'v1.compute.instances.stop' },
      logName: 'projects/p/logs/x',
      timestamp: '2024-01-01T00:00:00Z',
    };
    for (const doc of [
      cloudTrail,
      { Records: [cloudTrail] },
      [cloudTrail],
      gcp,
      { entries: [gcp] },
      { value: [] },
      { value: [1, 2] },
      { tables: [{ columns: [{ name: 'x' }], rows: [[1]] }] },
      [],
      {},
      null,
      'records',
      42,
    ]) {
      assert.equal(unwrap(doc, {}), undefined, JSON.stringify(doc));
    }
  });

  it('should claim an empty export wrapper, which only Azure writes in lower case', () => {
    const found = unwrap({ records: [] }, {});
    assert.equal(found?.kind === 'records' && found.records.length, 0);
  });
});
