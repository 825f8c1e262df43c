import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { corpusPath } from '../../../test/corpus.ts';
import type { Normalized } from '../provider.ts';
import { csvRows, fixturePath } from './_test-read.ts';
import { normalize } from './normalize.ts';
import { classifyOperation } from './operations.ts';
import { unwrap } from './unwrap.ts';

/** Every record of every fixture and of the corpus: the seeds that mutations start from. */
function seedRecords(): unknown[] {
  const records: unknown[] = [];
  const add = (doc: unknown): void => {
    const found = unwrap(doc, {});
    if (found?.kind === 'records') records.push(...found.records);
  };
  for (const name of [
    'export-records-deallocate.json',
    'az-activity-log-list.json',
    'rest-page-service-principal.json',
    'log-analytics-query.json',
  ]) {
    add(JSON.parse(readFileSync(fixturePath(name), 'utf8')));
  }
  for (const path of [
    fixturePath('PT1H.json'),
    fixturePath('log-analytics-rows.jsonl'),
    corpusPath('azure/plaso/azure_activity_log.jsonl'),
  ]) {
    for (const line of readFileSync(path, 'utf8').split('\n'))
      if (line.trim() !== '') add(JSON.parse(line));
  }
  records.push(...csvRows(fixturePath('log-analytics-export.csv')));
  return records;
}

const SEEDS = seedRecords();

type Mutation = readonly [
  pick: number,
  kind: 'delete' | 'replace' | 'stringify' | 'upper',
  value: unknown,
];

/** Paths to every member of a JSON value, so a mutation can hit any depth. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Object.keys(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    paths((value as Record<string, unknown>)[key], path, out);
  }
  return out;
}

function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  const copy: unknown = structuredClone(seed);
  for (const [pick, kind, value] of mutations) {
    const all = paths(copy);
    if (all.length === 0) break;
    const path = all[pick % all.length]!;
    let parent = copy as Record<string | number, unknown>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    const current = parent[key];
    if (kind === 'delete') delete parent[key];
    else if (kind === 'replace') parent[key] = value;
    else if (kind === 'stringify') parent[key] = JSON.stringify(current) ?? 'null';
    else if (typeof current === 'string') parent[key] = current.toUpperCase();
  }
  return copy;
}

function assertWellFormed(result: Normalized): void {
  for (const event of result.events) {
    assert.ok(event.id.startsWith('azure:'), event.id);
    assert.equal(event.provider, 'azure');
    assert.ok(Number.isFinite(event.time));
    assert.equal(event.targets.length, 1);
    assert.ok(event.targets[0]!.uid.length > 0);
    assert.equal(event.targets[0]!.uid, event.targets[0]!.uid.toLowerCase());
    if (event.actor.type === 'unknown' && event.actor.id === undefined) assert.ok(event.actor.gap);
  }
  if (result.issue) assert.ok(result.issue.message.length > 0);
}

const at = { path: 'property.json', index: 0 };
/**
 * What `JSON.parse('{"toString":0,"valueOf":0}')` makes: `String()` and `${}` throw on it.
 * A new one each time, since mutations may edit what they put in.
 */
const hostileObject: fc.Arbitrary<unknown> = fc
  .constant(null)
  .map(() => JSON.parse('{"toString":0,"valueOf":0}') as unknown);

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.nat(),
  fc.constantFrom('delete', 'replace', 'stringify', 'upper'),
  fc.oneof(
    fc.anything(),
    fc.string(),
    fc.constant(null),
    fc.constant(''),
    fc.double(),
    hostileObject,
  ),
);

describe('normalize (property)', () => {
  it('should never throw on mutated real and documented records', () => {
    assert.ok(SEEDS.length >= 20, `only ${SEEDS.length} seeds`);
    let events = 0;
    let issues = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (seed, mutations) => {
          const result = normalize(mutate(seed, mutations), at);
          assertWellFormed(result);
          events += result.events.length;
          issues += result.issue ? 1 : 0;
        },
      ),
      { numRuns: 1500 },
    );
    // The mutations must leave many records readable and break some: both paths are exercised.
    assert.ok(events > 300, `only ${events} events`);
    assert.ok(issues > 10, `only ${issues} issues`);
  });

  it('should never throw on random values, and unwrap neither', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
        fc.option(fc.string()),
        (value, container) => {
          assertWellFormed(normalize(value, at));
          unwrap(value, container !== null ? { container } : {});
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('should never throw on records of Azure keys holding random values', () => {
    const any = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.constantFrom(
        'Microsoft.Compute/virtualMachines/deallocate/action',
        '/subscriptions/x/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v',
        '2024-01-01T00:00:00Z',
        'Failed',
        '{"error":{}}',
      ),
    );
    const record = fc.record(
      {
        time: any,
        operationName: fc.oneof(any, fc.record({ value: any })),
        resourceId: any,
        resultType: any,
        identity: fc.oneof(any, fc.record({ claims: any, authorization: any })),
        properties: fc.oneof(any, fc.record({ statusMessage: any, statusCode: any })),
        OperationNameValue: any,
        TimeGenerated: any,
        Claims: any,
        _ResourceId: any,
        ActivityStatusValue: any,
        operation_name: any,
        event_timestamp: any,
        caller: any,
        claims: any,
        eventTimestamp: any,
        status: any,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, (value) => {
        const result = normalize(value, at);
        assertWellFormed(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('should classify an operation name the same in any letter case', () => {
    const names = [
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/powerOff/action',
      'Microsoft.Insights/diagnosticSettings/delete',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        (name, flips) => {
          const cased = [...name]
            .map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase()))
            .join('');
          assert.deepEqual(classifyOperation(cased), classifyOperation(name));
        },
      ),
    );
  });
});
