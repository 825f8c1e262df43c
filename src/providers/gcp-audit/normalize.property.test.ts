import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { corpusPath } from '../../../test/corpus.ts';
import type { Normalized } from '../provider.ts';
import { normalize } from './normalize.ts';
import { readDocuments } from './_test-read.ts';
import { unwrap } from './unwrap.ts';

/*
 * Records are untrusted: whatever a file holds, normalize and unwrap must return, never
 * throw, and the safety net in normalize must never be what caught a problem.
 */
const at = { path: 'prop.jsonl', index: 0 };

function fixture(name: string): string {
  return fileURLToPath(new URL(`testdata/${name}`, import.meta.url));
}

/** Real and documented entries to mutate: every audit entry of the corpus and fixtures. */
const seeds: unknown[] = [
  ...readDocuments(corpusPath('gcp/iap-desktop/entries.jsonl')),
  ...readDocuments(corpusPath('gcp/plaso/gcp_logging.jsonl')),
  ...readDocuments(fixture('user-stop-first-last.jsonl')),
  ...readDocuments(fixture('impersonated-stop.jsonl')),
  ...readDocuments(fixture('failed-stop.json')),
  ...readDocuments(fixture('pubsub-push.json')),
].map((d) => d.value);
for (const entry of readDocuments(fixture('gcloud-read.json'))[0]!.value as unknown[])
  seeds.push(entry);

function assertSound(result: Normalized, record: unknown): void {
  if (result.issue) assert.doesNotMatch(result.issue.message, /internal error/);
  for (const event of result.events) {
    assert.match(event.id, /^gcp:./);
    assert.equal(event.id, `gcp:${event.eventId}`);
    assert.ok(Number.isFinite(event.time));
    assert.ok(event.targets.every((t) => typeof t.uid === 'string' && t.uid !== ''));
    assert.equal(event.raw, at);
    assert.ok(record !== null);
  }
}

/** All paths to values inside a JSON document, so a mutation can hit any of them. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [[...prefix]];
  const children = Array.isArray(value)
    ? value.map((v, i) => pathsOf(v, [...prefix, i]))
    : Object.entries(value).map(([k, v]) => pathsOf(v, [...prefix, k]));
  return [[...prefix], ...children.flat()];
}

function mutate(
  doc: unknown,
  path: readonly (string | number)[],
  replacement: unknown,
  remove: boolean,
): unknown {
  if (path.length === 0) return remove ? undefined : replacement;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/**
 * What `JSON.parse('{"toString":0,"valueOf":0}')` makes: `String()` and `${}` throw on it.
 * A new one each time, since mutations may edit what they put in.
 */
const hostileObject: fc.Arbitrary<unknown> = fc
  .constant(null)
  .map(() => JSON.parse('{"toString":0,"valueOf":0}') as unknown);

const nasty = fc.oneof(
  fc.anything(),
  hostileObject,
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'not base64 ===',
    'v1.compute.instances.stop',
    '0',
    '-1',
  ),
  fc.constantFrom(null, 0, -1, Number.MAX_SAFE_INTEGER, true, [], {}),
  fc.dictionary(
    fc.constantFrom('__proto__', 'first', 'last', 'code', 'principalEmail', 'instances'),
    fc.anything(),
  ),
);

describe('normalize properties', () => {
  it('should never throw on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assertSound(normalize(value, at), value);
        unwrap(value, {});
        unwrap(value, { container: 'entries' });
      }),
      { numRuns: 2000 },
    );
  });

  it('should never throw on any value at all, prototypes and odd numbers included', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true }),
        (value) => {
          assertSound(normalize(value, at), value);
          unwrap(value, {});
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('should never throw on real entries with one field removed or replaced', () => {
    let produced = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.nat(),
        nasty,
        fc.boolean(),
        (seed, pick, replacement, remove) => {
          const paths = pathsOf(seed);
          const mutated = mutate(seed, paths[pick % paths.length]!, replacement, remove);
          const result = normalize(mutated, at);
          produced += result.events.length;
          assertSound(result, mutated);
          const found = unwrap(mutated, {});
          if (found?.kind === 'records')
            for (const r of found.records) assertSound(normalize(r, at), r);
        },
      ),
      { numRuns: 3000 },
    );
    // Most single mutations leave a readable entry: the property ran on real events.
    assert.ok(produced > 500, `only ${produced} events from mutated entries`);
  });

  it('should never throw on Pub/Sub envelopes with any data', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.anything()), (data) => {
        const envelope = { message: { data, messageId: '1' }, subscription: 's' };
        const result = normalize(envelope, at);
        assertSound(result, envelope);
        if (typeof data === 'string' && data !== '' && result.issue)
          assert.equal(result.issue.field, 'message.data');
      }),
      { numRuns: 1000 },
    );
  });

  it('should not let a __proto__ key change the shape of unmapped', () => {
    const record = JSON.parse(
      '{"insertId":"p1","timestamp":"2024-01-01T00:00:00Z","__proto__":{"polluted":true},' +
        '"resource":{"labels":{"instance_id":"1"}},"protoPayload":{"methodName":"v1.compute.instances.stop",' +
        '"resourceName":"projects/p/zones/z-a/instances/i","__proto__":{"x":1}}}',
    ) as unknown;
    const [event] = normalize(record, at).events;
    assert.ok(event);
    assert.equal(Object.getPrototypeOf(event.unmapped), Object.prototype);
    assert.equal((event.unmapped as { polluted?: unknown }).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(event.unmapped, '__proto__')?.value, {
      polluted: true,
    });
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });
});
