import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { corpusDir } from '../../../test/corpus.ts';
import type { Normalized } from '../provider.ts';
import { readDocuments } from './_read-documents.ts';
import { EVENT_NAMES } from './event-names.ts';
import { awsCloudTrail } from './index.ts';

// Logs are untrusted input: whatever arrives, the reader returns values and never throws.

const testdata = fileURLToPath(new URL('testdata/', import.meta.url));
const awsCorpus = join(corpusDir, 'aws');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.jsonl?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Real and fixture records that yield events: the seeds worth mutating. */
const seeds: unknown[] = [...jsonFiles(awsCorpus), ...jsonFiles(testdata)].flatMap((file) =>
  readDocuments(awsCloudTrail, file).records.filter(
    (record) => awsCloudTrail.normalize(record, { path: file, index: 0 }).events.length > 0,
  ),
);

function checkInvariants(result: Normalized): void {
  for (const event of result.events) {
    assert.ok(event.id.startsWith('aws:'), event.id);
    assert.equal(event.provider, 'aws');
    assert.ok(Number.isFinite(event.time));
    assert.ok(event.operation.length > 0);
    assert.ok(Array.isArray(event.actor.chain));
    for (const target of event.targets)
      assert.ok(typeof target.uid === 'string' && target.uid.length > 0);
    if (event.issued?.expiresAt !== undefined) assert.ok(Number.isFinite(event.issued.expiresAt));
    // Events must survive being written out as JSON.
    JSON.stringify(event);
  }
  if (result.issue) {
    assert.ok(result.issue.message.startsWith('Cannot read'), result.issue.message);
    assert.equal(result.events.length, 0);
  }
}

function readAll(doc: unknown): void {
  const unwrapped = awsCloudTrail.unwrap(doc, {});
  const records = unwrapped?.kind === 'records' ? unwrapped.records : [doc];
  records.forEach((record, member) =>
    checkInvariants(awsCloudTrail.normalize(record, { path: 'p', index: 0, member })),
  );
}

type Path = readonly (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...keys.flatMap((key) =>
      paths((value as Record<string | number, unknown>)[key], [...prefix, key]),
    ),
  ];
}

/**
 * What `JSON.parse('{"toString":0,"valueOf":0}')` makes: `String()` and `${}` throw on it.
 * A new one each time, since mutations may edit what they put in.
 */
const hostileObject: fc.Arbitrary<unknown> = fc
  .constant(null)
  .map(() => JSON.parse('{"toString":0,"valueOf":0}') as unknown);

/** A deep copy of `value` with the member at `path` deleted or replaced. */
function mutate(value: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as object) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const target = copy as Record<string | number, unknown>;
  if (rest.length === 0 && remove) delete target[head];
  else target[head] = mutate(target[head], rest, replacement, remove);
  return copy;
}

/** Records nested in JSON strings (lookup-events) are mutated as text too. */
function mutateText(value: unknown, cut: number): unknown {
  if (typeof value !== 'object' || value === null || !('CloudTrailEvent' in value)) return value;
  // An edit may have made it anything, even an object `String()` throws on ({ toString: 0 }).
  const text = (value as { CloudTrailEvent: unknown }).CloudTrailEvent;
  if (typeof text !== 'string') return value;
  return { ...value, CloudTrailEvent: text.slice(0, cut % (text.length + 1)) };
}

describe('aws-cloudtrail under random and mutated input', () => {
  it('should have real seeds to mutate', () => {
    assert.ok(seeds.length >= 30, `only ${seeds.length} seeds`);
  });

  it('should never throw on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => readAll(doc)),
      { numRuns: 2000 },
    );
  });

  it('should never throw on mutated real records, and keep its invariants', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.boolean(),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileObject),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(edit, { maxLength: 4 }),
        fc.nat(),
        (seed, edits, cut) => {
          let doc: unknown = seed;
          for (const [pick, remove, replacement] of edits) {
            const all = paths(doc);
            doc = mutate(doc, all[pick % all.length]!, replacement, remove);
          }
          readAll(doc);
          readAll(mutateText(doc, cut));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('should never throw on records of mapped calls whose fields are anything', () => {
    const anything = fc.option(fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileObject), {
      nil: undefined,
    });
    const record = fc.record({
      eventName: fc.constantFrom(...Object.keys(EVENT_NAMES)),
      eventSource: fc.constantFrom(
        ...new Set(Object.values(EVENT_NAMES).flatMap((m) => m.sources)),
      ),
      eventID: fc.oneof(fc.string(), fc.uuid()),
      eventTime: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.integer(),
      ),
      userIdentity: anything,
      requestParameters: anything,
      responseElements: anything,
      additionalEventData: anything,
      sourceIPAddress: fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.domain()),
      userAgent: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(record, (raw) => {
        readAll(raw);
        readAll({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', detail: raw });
        readAll({ EventName: raw.eventName, CloudTrailEvent: JSON.stringify(raw) });
      }),
      { numRuns: 2000 },
    );
  });
});
