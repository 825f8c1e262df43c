import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RawPointer } from '../model/index.ts';
import { isStopAction } from '../model/index.ts';
import type { Provider } from '../providers/index.ts';
import { providers } from '../providers/index.ts';
import type {
  FrameBatch,
  FrameOptions,
  InputFile,
  NeedleSet,
  RawDocument,
} from '../sources/types.ts';
import { cloudTrailNoise, cloudTrailStop, gcpStopEntry } from './_fixture-records.ts';
import { needlesFor, scanFile } from './scan-file.ts';
import type { Include, ScanFileBatch } from './types.ts';

const KNOWN_ISSUES = new Set([
  'unreadable_file',
  'truncated_gzip',
  'binary_data',
  'empty_file',
  'invalid_json',
  'unknown_format',
  'wrong_shape',
  'missing_field',
  'invalid_field',
]);

const dir = mkdtempSync(join(tmpdir(), 'haltwatch-scan-file-'));

function write(name: string, text: string): InputFile {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path };
}

async function collect(file: InputFile, include: Include = 'stops'): Promise<ScanFileBatch[]> {
  const batches: ScanFileBatch[] = [];
  for await (const batch of scanFile(file, { include })) batches.push(batch);
  return batches;
}

function totals(batches: readonly ScanFileBatch[]) {
  return {
    events: batches.flatMap((b) => b.events),
    issues: batches.flatMap((b) => b.issues),
    records: batches.reduce((n, b) => n + b.records, 0),
    shapes: batches.reduce<Record<string, number>>((all, b) => {
      for (const [k, v] of Object.entries(b.shapes ?? {})) all[k] = (all[k] ?? 0) + v;
      return all;
    }, {}),
  };
}

describe('scanFile', () => {
  it('should find the stop among noise in CloudTrail JSON lines and count every record', async () => {
    const lines = [cloudTrailNoise(1), cloudTrailStop(2), cloudTrailNoise(3)].map((r) =>
      JSON.stringify(r),
    );
    const t = totals(await collect(write('lines.jsonl', `${lines.join('\n')}\n`)));
    assert.equal(t.records, 3);
    assert.equal(t.events.length, 1);
    assert.equal(t.events[0]!.action, 'instance.stop');
    assert.equal(t.events[0]!.targets[0]!.uid, 'i-00000000000000002');
    assert.equal(t.issues.length, 0);
  });

  it('should find Azure stops written in any letter case, prefiltered, in every layout', async () => {
    // Every spelling of the operation in the fixture rewritten in a case no Azure writer is
    // known to use: only a prefilter that folds case lets these records through.
    const oddCase = (text: string) => text.replace(/poweroff/gi, 'PoWeRoFf');
    const lines = readFileSync(
      fileURLToPath(new URL('../providers/azure-activity/testdata/PT1H.json', import.meta.url)),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(oddCase);
    assert.ok(lines.every((line) => !/poweroff|POWEROFF|powerOff/.test(line)));
    const noise = JSON.stringify({
      time: '2024-06-04T00:00:01Z',
      resourceId:
        '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/A',
      operationName: 'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION',
      category: 'Administrative',
      resultType: 'Success',
      correlationId: 'c-noise',
    });
    const asLines = totals(
      await collect(write('odd-case-PT1H.json', [noise, ...lines].join('\n'))),
    );
    const asRecords = totals(
      await collect(
        write(
          'odd-case-records.json',
          JSON.stringify({ records: [JSON.parse(noise), ...lines.map((l) => JSON.parse(l))] }),
        ),
      ),
    );
    for (const t of [asLines, asRecords]) {
      assert.equal(t.records, lines.length + 1);
      assert.equal(t.events.length, lines.length);
      assert.ok(
        t.events.every((e) => isStopAction(e.action)),
        t.events.map((e) => e.action).join(),
      );
    }
  });

  it('should report invalid JSON with its line and go on with the rest', async () => {
    const text = [
      JSON.stringify(cloudTrailStop(1)),
      '{"eventName": "StopInstances", broken',
      JSON.stringify(cloudTrailStop(3)),
    ].join('\n');
    const t = totals(await collect(write('broken.jsonl', text)));
    assert.equal(t.events.length, 2);
    assert.equal(t.issues.length, 1);
    assert.equal(t.issues[0]!.type, 'invalid_json');
    assert.equal(t.issues[0]!.at.line, 2);
    assert.match(t.issues[0]!.message, /broken\.jsonl".*line 2/);
  });

  it('should keep non-stop events only when asked for all', async () => {
    const start = {
      ...cloudTrailStop(4),
      eventName: 'StartInstances',
      eventID: 'start-4',
      requestID: 'start-4',
    };
    const file = write(
      'start.jsonl',
      `${JSON.stringify(cloudTrailStop(1))}\n${JSON.stringify(start)}\n`,
    );
    assert.deepEqual(
      totals(await collect(file, 'stops')).events.map((e) => e.action),
      ['instance.stop'],
    );
    assert.deepEqual(
      totals(await collect(file, 'all')).events.map((e) => e.action),
      ['instance.stop', 'instance.start'],
    );
  });

  it('should point at each record of a Records line by its own index, on the line it sits on', async () => {
    // The framer splits `{"Records":[...]}` itself: every record is its own document.
    const page = JSON.stringify({ Records: [cloudTrailStop(1), cloudTrailStop(2)] });
    const file = write(
      'page.jsonl',
      `${page}\n${page.replaceAll('req-', 'other-').replaceAll('00000000-0000', '20000000-0000')}\n`,
    );
    const t = totals(await collect(file));
    assert.equal(t.events.length, 4);
    assert.deepEqual(
      t.events.map((e) => [e.raw.index, e.raw.line, e.raw.member]),
      [
        [0, 1, undefined],
        [1, 1, undefined],
        [2, 2, undefined],
        [3, 2, undefined],
      ],
    );
  });

  it('should set the member of the pointer when one document holds several records', async () => {
    const provider = {
      id: 'aws',
      name: 'fake',
      needles: { stops: ['x'], all: ['x'] },
      unwrap: (doc: unknown) => ({ kind: 'records', shape: 'page', records: doc as unknown[] }),
      normalize: (_record: unknown, at: RawPointer) => ({
        events: [{ action: 'instance.stop', raw: at }],
      }),
    } as unknown as Provider;
    async function* read(): AsyncGenerator<FrameBatch> {
      yield {
        documents: [
          { at: { path: 'p', index: 0 }, value: [1, 2] },
          { at: { path: 'p', index: 1 }, value: [3] },
        ],
        skipped: 0,
        issues: [],
        bytesRead: 1,
        bytesDecoded: 1,
      };
    }
    const batches: ScanFileBatch[] = [];
    for await (const b of scanFile(
      { path: 'p' },
      { include: 'stops', providers: [provider], read },
    ))
      batches.push(b);
    const t = totals(batches);
    assert.deepEqual(
      t.events.map((e) => [e.raw.index, e.raw.member]),
      [
        [0, 0],
        [0, 1],
        [1, undefined],
      ],
    );
    assert.equal(t.records, 3);
  });

  it('should call a file none of whose documents is a cloud record an unknown format, naming it', async () => {
    const t = totals(
      await collect(write('other.json', '{"hello": "world"}\n{"hello": "again"}\n')),
    );
    assert.equal(t.events.length, 0);
    assert.equal(t.issues.length, 1);
    assert.equal(t.issues[0]!.type, 'unknown_format');
    assert.match(
      t.issues[0]!.message,
      /other\.json" is not a CloudTrail, Cloud Audit Logs or Activity Log export/,
    );
  });

  it('should call plain text an unknown format rather than a pile of invalid JSON', async () => {
    const t = totals(await collect(write('notes.txt', '# notes\nnothing here\n')));
    assert.deepEqual(
      t.issues.map((i) => i.type),
      ['unknown_format'],
    );
    assert.match(t.issues[0]!.message, /it is not JSON/);
  });

  it('should read a GCP LogEntry after recognising another provider first in the same run', async () => {
    const t = totals(await collect(write('gcp.jsonl', `${JSON.stringify(gcpStopEntry())}\n`)));
    assert.equal(t.events.length, 1);
    assert.equal(t.events[0]!.provider, 'gcp');
    assert.ok(Object.keys(t.shapes).some((shape) => shape.startsWith('gcp-audit/')));
  });

  it('should never throw on arbitrary JSON lines, and point every result at the file', async () => {
    // Property: whatever JSON a file holds, scanning ends normally and all it reports is traceable.
    const stop = cloudTrailStop(1);
    const mutated = fc.oneof(
      fc.jsonValue(),
      fc.record({
        eventName: fc.constant('StopInstances'),
        eventSource: fc.constant('ec2.amazonaws.com'),
        eventTime: fc.jsonValue(),
        userIdentity: fc.jsonValue(),
        requestParameters: fc.jsonValue(),
      }),
      fc
        .dictionary(fc.constantFrom(...Object.keys(stop)), fc.jsonValue())
        .map((d) => ({ ...stop, ...d })),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutated, { minLength: 1, maxLength: 8 }), async (values) => {
        const file = write(`prop-${n++}.jsonl`, values.map((v) => JSON.stringify(v)).join('\n'));
        const t = totals(await collect(file, 'all'));
        for (const issue of t.issues) assert.equal(issue.at.path, file.path);
        for (const event of t.events) assert.equal(event.raw.path, file.path);
        for (const issue of t.issues)
          assert.ok(KNOWN_ISSUES.has(issue.type) && issue.message.length > 0, issue.type);
      }),
      { numRuns: 150 },
    );
  });
});

describe('needlesFor', () => {
  it('should give up prefiltering when one provider has no needles', () => {
    const blind = { needles: { stops: [], all: [] } } as unknown as Provider;
    const seeing = {
      needles: { stops: ['StopInstances'], all: ['Instances'] },
    } as unknown as Provider;
    assert.equal(needlesFor([seeing, blind], 'stops'), undefined);
    assert.deepEqual(needlesFor([seeing], 'stops'), { needles: ['StopInstances'], anyCase: false });
    assert.deepEqual(needlesFor([seeing], 'all'), { needles: ['Instances'], anyCase: false });
    // One provider whose names vary in case makes the whole union match in any case.
    const anyCase = {
      needles: { stops: ['deallocate'], all: ['deallocate'], anyCase: true },
    } as unknown as Provider;
    assert.deepEqual(needlesFor([seeing, anyCase], 'stops'), {
      needles: ['StopInstances', 'deallocate'],
      anyCase: true,
    });
  });

  it('should read documents through the reader it is given, prefiltered, and count skipped ones under the file shape', async () => {
    let seen: readonly string[] | undefined;
    const provider = {
      id: 'aws',
      name: 'fake',
      needles: { stops: ['STOP'], all: ['ANY'] },
      unwrap: (doc: unknown) => ({ kind: 'records', shape: 'fake-shape', records: [doc] }),
      normalize: () => ({ events: [] }),
    } as unknown as Provider;
    async function* read(
      _file: InputFile,
      options: { needles?: readonly string[] },
    ): AsyncGenerator<FrameBatch> {
      seen = options.needles;
      yield {
        documents: [{ at: { path: 'x', index: 0 }, value: { a: 1 } }],
        skipped: 41,
        issues: [],
        bytesRead: 10,
        bytesDecoded: 20,
      };
    }
    const batches: ScanFileBatch[] = [];
    for await (const b of scanFile(
      { path: 'x' },
      { include: 'stops', providers: [provider], read },
    ))
      batches.push(b);
    assert.deepEqual(seen, ['STOP']);
    assert.equal(batches[0]!.records, 42);
    assert.deepEqual(batches[0]!.shapes, { 'fake/fake-shape': 42 });
    assert.equal(batches[0]!.bytesDecoded, 20);
  });
});

describe('scanFile on a file it cannot place', () => {
  it('should say that the documents it passed over were not read when the first one is foreign', async () => {
    // A foreign first line and CloudTrail noise after it: the noise is never parsed, so the
    // file cannot be called a CloudTrail export, and the message must not claim it was read.
    const text = [
      '{"hello": "world"}',
      ...[1, 2, 3].map((n) => JSON.stringify(cloudTrailNoise(n))),
    ].join('\n');
    const t = totals(await collect(write('foreign-first.jsonl', `${text}\n`)));
    assert.equal(t.records, 4);
    assert.deepEqual(
      t.issues.map((i) => i.type),
      ['unknown_format'],
    );
    assert.match(
      t.issues[0]!.message,
      /its first document is not a record of any of them, and the other 3 hold none of the keywords/,
    );
  });
});

describe('scanFile on arbitrary bytes', () => {
  it('should never throw on random or cut bytes, plain or gzipped', async () => {
    // Property: whatever bytes a file holds (a cut export, random data, gzip of either), the
    // scan ends normally and every issue names the file.
    const lines = [cloudTrailStop(1), cloudTrailNoise(2), gcpStopEntry()]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const sample = Buffer.from(lines);
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.nat({ max: sample.length }).map((cut) => sample.subarray(0, cut)),
      fc
        .tuple(fc.nat({ max: sample.length }), fc.uint8Array({ minLength: 1, maxLength: 20 }))
        .map(([at, junk]) =>
          Buffer.concat([sample.subarray(0, at), Buffer.from(junk), sample.subarray(at)]),
        ),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bytes, fc.boolean(), fc.boolean(), async (data, gzip, cut) => {
        let content = gzip ? gzipSync(data) : data;
        if (gzip && cut) content = content.subarray(0, Math.max(1, content.length - 7));
        const path = join(dir, `bytes-${n++}.bin`);
        writeFileSync(path, content);
        const t = totals(await collect({ path }, 'all'));
        for (const issue of t.issues) assert.equal(issue.at.path, path);
        for (const event of t.events) assert.equal(event.raw.path, path);
      }),
      { numRuns: 150 },
    );
  });
});

describe('scanFile needle narrowing', () => {
  it("should narrow to the recognised cloud's needles for a wrapper export, never for JSON lines", async () => {
    let narrow: ((first: RawDocument) => NeedleSet | undefined) | undefined;
    async function* read(_file: InputFile, options: FrameOptions): AsyncGenerator<FrameBatch> {
      narrow = options.narrowNeedles;
      yield { documents: [], skipped: 0, issues: [], bytesRead: 0, bytesDecoded: 0 };
    }
    for await (const _ of scanFile({ path: 'x' }, { include: 'stops', read })) void _;
    assert.ok(narrow);
    const bytes = Buffer.from(JSON.stringify(cloudTrailNoise(1)));
    const aws = providers['aws-cloudtrail'].needles.stops;
    assert.deepEqual(narrow({ at: { path: 'x', index: 0 }, container: 'Records', bytes }), {
      needles: aws,
      anyCase: false,
    });
    // The same record as a JSON line: other clouds may follow it in the same file.
    assert.equal(narrow({ at: { path: 'x', index: 0, line: 1 }, bytes }), undefined);
    assert.equal(
      narrow({ at: { path: 'x', index: 0 }, container: 'Records', bytes: Buffer.from('{"a":') }),
      undefined,
    );
  });
});
