import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { corpusDir } from '../../test/corpus.ts';
import { JsonFramer } from '../sources/index.ts';
import { UNKNOWN, UNKNOWN_HOUR, findKeyValue, keyPattern, AMBIGUOUS } from './coverage-key.ts';
import type { Provider } from './provider.ts';
import { providers } from './registry.ts';

const aws = providers['aws-cloudtrail'];
const gcp = providers['gcp-audit'];
const azure = providers['azure-activity'];

/*
 * Values as attackers and odd exports write them: plain tokens, spaces, quotes, escapes,
 * non-ASCII, empty strings, and non-strings.
 */
const token = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const nasty = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', ' eu-west-1', 'a"b', 'a\\b', 'é', 'x\u0000', 'eu west'),
);
const value = fc.oneof(
  { weight: 6, arbitrary: token },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.constantFrom(null, 7, true, { a: 1 }, [1]) },
);
const iso = fc
  .date({
    min: new Date('2001-01-01T00:00:00Z'),
    max: new Date('2099-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
const time = fc.oneof({ weight: 6, arbitrary: iso }, { weight: 1, arbitrary: value });
/** Nested noise that may repeat a key the extractor looks for, or hide it in a string. */
function noise(keys: readonly string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 }));
  return fc.oneof(
    fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value, { maxKeys: 2 })), { maxKeys: 3 }),
    fc.dictionary(key, value, { maxKeys: 2 }).map((o) => JSON.stringify(o)),
  );
}

/** An object with the given members (absent when `undefined`), keys in random order. */
function record(members: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Buffer> {
  return fc.tuple(members, fc.boolean(), fc.nat()).map(([fields, pretty, seed]) => {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    // A deterministic shuffle from the seed: key order must not matter.
    entries.sort((a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7));
    return Buffer.from(JSON.stringify(Object.fromEntries(entries), null, pretty ? 2 : 0));
  });
}

function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq: 5 });
}

function agrees(provider: Provider, bytes: Buffer): boolean {
  const fast = provider.coverageKey!(bytes);
  if (fast !== undefined) {
    assert.deepEqual(fast, provider.recordCoverageKey!(JSON.parse(bytes.toString('utf8'))));
  }
  return fast !== undefined;
}

const CLOUDTRAIL_KEYS = ['eventTime', 'awsRegion', 'recipientAccountId'];
const GCP_KEYS = ['timestamp', 'project_id', 'zone', 'region', 'location'];
const AZURE_KEYS = ['time', 'resourceId', 'subscriptionId', 'location', 'operationName'];

describe('coverage keys', () => {
  it('should read a CloudTrail record from bytes as JSON.parse does, whenever it answers (property)', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        record(
          fc.record({
            eventVersion: fc.constant('1.08'),
            eventTime: optional(time),
            eventName: fc.constantFrom('DescribeInstances', 'StopInstances'),
            awsRegion: optional(value),
            recipientAccountId: optional(fc.oneof(fc.stringMatching(/^\d{12}$/), value)),
            requestParameters: optional(noise(CLOUDTRAIL_KEYS)),
            '@timestamp': optional(iso),
          }),
        ),
        (bytes) => {
          if (agrees(aws, bytes)) answered++;
        },
      ),
      { numRuns: 2000 },
    );
    // The fast path must be the common path, not a never-taken branch.
    assert.ok(answered > 200, `only ${answered} of 2000 answered from bytes`);
  });

  it('should read a LogEntry from bytes as JSON.parse does, whenever it answers (property)', () => {
    let answered = 0;
    const labels = fc.record({
      project_id: optional(value),
      zone: optional(fc.oneof(fc.constantFrom('us-central1-a', 'europe-west4-b'), value)),
      region: optional(value),
      location: optional(value),
    });
    fc.assert(
      fc.property(
        record(
          fc.record({
            timestamp: optional(time),
            logName: optional(
              fc.constantFrom('projects/log-proj/logs/x', 'organizations/1/logs/x'),
            ),
            resource: optional(labels.map((l) => ({ type: 'gce_instance', labels: l }))),
            protoPayload: optional(noise(GCP_KEYS)),
          }),
        ),
        (bytes) => {
          if (agrees(gcp, bytes)) answered++;
        },
      ),
      { numRuns: 2000 },
    );
    assert.ok(answered > 100, `only ${answered} of 2000 answered from bytes`);
  });

  it('should read an Activity Log export record from bytes as JSON.parse does, whenever it answers (property)', () => {
    let answered = 0;
    const resourceId = fc.oneof(
      fc
        .tuple(fc.constantFrom('SUBSCRIPTIONS', 'subscriptions'), fc.uuid(), token)
        .map(
          ([s, id, name]) =>
            `/${s}/${id.toUpperCase()}/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/${name}`,
        ),
      value,
    );
    fc.assert(
      fc.property(
        record(
          fc.record({
            time: optional(time),
            operationName: optional(
              fc.oneof(fc.constant('MICROSOFT.COMPUTE/VIRTUALMACHINES/READ'), value),
            ),
            resourceId: optional(resourceId),
            subscriptionId: optional(value),
            location: optional(value),
            category: fc.constant('Administrative'),
            properties: optional(noise(AZURE_KEYS)),
          }),
        ),
        (bytes) => {
          if (agrees(azure, bytes)) answered++;
        },
      ),
      { numRuns: 2000 },
    );
    assert.ok(answered > 100, `only ${answered} of 2000 answered from bytes`);
  });

  it('should read the usual record of each cloud from bytes', () => {
    const trail = Buffer.from(
      '{"eventTime":"2024-08-01T12:03:30Z","requestParameters":{"x":"\\"awsRegion\\":\\"evil\\""},"awsRegion":"eu-west-1","recipientAccountId":"111122223333"}',
    );
    assert.deepEqual(aws.coverageKey!(trail), {
      account: '111122223333',
      region: 'eu-west-1',
      hour: Date.UTC(2024, 7, 1, 12),
    });
    const entry = Buffer.from(
      '{"timestamp":"2024-08-01T12:59:59.999Z","resource":{"labels":{"project_id":"p-1","zone":"us-central1-a"}}}',
    );
    assert.deepEqual(gcp.coverageKey!(entry), {
      account: 'p-1',
      region: 'us-central1',
      hour: Date.UTC(2024, 7, 1, 12),
    });
    const activity = Buffer.from(
      '{"time":"2024-08-01T12:03:30.1234567Z","operationName":"X","resourceId":"/SUBSCRIPTIONS/AB-CD/x","location":"westeurope"}',
    );
    assert.deepEqual(azure.coverageKey!(activity), {
      account: 'ab-cd',
      region: 'westeurope',
      hour: Date.UTC(2024, 7, 1, 12),
    });
    // Unreadable parts are unknown, never a reason to drop the record.
    assert.deepEqual(aws.recordCoverageKey!({ eventTime: 'soon', awsRegion: 'eu west' }), {
      account: UNKNOWN,
      region: UNKNOWN,
      hour: UNKNOWN_HOUR,
    });
  });

  it('should not search past the view it is given', () => {
    // The key sits right after the view's end in the same memory: a view must not see it.
    const whole = Buffer.from('{"a":1}{"awsRegion":"x"}');
    assert.equal(findKeyValue(whole.subarray(0, 7), keyPattern('awsRegion')), -1);
    assert.equal(findKeyValue(Buffer.from('{"k":1,"x":{"k":2}}'), keyPattern('k')), AMBIGUOUS);
  });

  it('should agree with JSON.parse on every single-record document of the corpus', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(json|jsonl)(\.gz)?$/.test(name)) files.push(path);
      }
    };
    walk(corpusDir);
    let checked = 0;
    let answered = 0;
    for (const path of files) {
      let bytes = readFileSync(path);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      const framer = new JsonFramer(path);
      const documents = [...framer.push(bytes).documents, ...framer.end().documents];
      for (const doc of documents) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(doc.bytes!.toString('utf8'));
        } catch {
          continue;
        }
        for (const provider of Object.values(providers) as Provider[]) {
          const found = provider.unwrap(parsed, { container: doc.container });
          if (found?.kind !== 'records' || found.records.length !== 1) continue;
          const fast = provider.coverageKey!(doc.bytes!);
          checked++;
          if (fast === undefined) break;
          answered++;
          assert.deepEqual(fast, provider.recordCoverageKey!(found.records[0]), path);
          break;
        }
      }
    }
    assert.ok(checked > 500, `${checked} corpus records checked`);
    console.log(`# corpus: ${answered} of ${checked} single records read from bytes`);
    assert.ok(answered > checked / 2, `${answered} of ${checked} answered from bytes`);
  });
});
