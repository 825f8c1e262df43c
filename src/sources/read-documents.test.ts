import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { corpusPath } from '../../test/corpus.ts';
import type { RecordIssue } from '../model/index.ts';
import { readDocuments } from './read-documents.ts';
import type { FrameOptions, InputFile } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'haltwatch-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): InputFile {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path };
}

interface Read {
  readonly documents: {
    at: { index: number; line?: number };
    container?: string;
    value: unknown;
  }[];
  readonly issues: RecordIssue[];
  readonly skipped: number;
  readonly bytesRead: number;
  readonly bytesDecoded: number;
}

async function read(input: InputFile, options?: FrameOptions): Promise<Read> {
  const out: Read = { documents: [], issues: [], skipped: 0, bytesRead: 0, bytesDecoded: 0 };
  const totals = out as { skipped: number; bytesRead: number; bytesDecoded: number };
  for await (const batch of readDocuments(input, options)) {
    for (const d of batch.documents) {
      const value = d.bytes !== undefined ? JSON.parse(d.bytes.toString('utf8')) : d.value;
      out.documents.push({
        at: { index: d.at.index, line: d.at.line },
        container: d.container,
        value,
      });
    }
    out.issues.push(...batch.issues);
    totals.skipped += batch.skipped;
    totals.bytesRead += batch.bytesRead;
    totals.bytesDecoded += batch.bytesDecoded;
  }
  return out;
}

const records = { Records: [{ eventName: 'DescribeInstances' }, { eventName: 'StopInstances' }] };

describe('readDocuments', () => {
  it('should gunzip by the magic bytes, not the name', async () => {
    const zipped = gzipSync(JSON.stringify(records));
    const out = await read(file('no-extension', zipped));
    assert.deepEqual(
      out.documents.map((d) => d.value),
      records.Records,
    );
    assert.equal(out.documents[1]!.container, 'Records');
    assert.equal(out.bytesRead, zipped.length);
    assert.equal(out.bytesDecoded, JSON.stringify(records).length);
    // And a plain file named .gz is read as the plain file it is.
    const plain = await read(file('plain.json.gz', JSON.stringify(records)));
    assert.equal(plain.documents.length, 2);
  });

  it('should keep the documents before a gzip cut and report the cut', async () => {
    const lines = Array.from({ length: 5000 }, (_, k) =>
      JSON.stringify({ k, pad: 'x'.repeat(k % 97) }),
    ).join('\n');
    const zipped = gzipSync(lines);
    const out = await read(
      file('cut.jsonl.gz', zipped.subarray(0, Math.floor(zipped.length * 0.6))),
    );
    assert.ok(
      out.documents.length > 1000 && out.documents.length < 5000,
      `${out.documents.length}`,
    );
    out.documents.forEach((d, k) => assert.deepEqual(d.value, { k, pad: 'x'.repeat(k % 97) }));
    assert.equal(out.issues.length, 1);
    assert.equal(out.issues[0]!.type, 'truncated_gzip');
    assert.match(
      out.issues[0]!.message,
      /cut\.jsonl\.gz": the gzip data ends early after \d+ decompressed bytes; the documents before the cut were read/,
    );
  });

  it('should call a cut gzip cut even when the little it holds looks like nothing known', async () => {
    // The bytes before the cut are just "x…": the cut, not the format, is what to report.
    const zipped = gzipSync('x'.repeat(200));
    const cut = await read(file('tiny-cut.json.gz', zipped.subarray(0, 15)));
    assert.deepEqual(
      cut.issues.map((i) => i.type),
      ['truncated_gzip'],
    );
    // A whole gzip of something else is still called what it is.
    const other = await read(file('notes.txt.gz', gzipSync('just some notes\n')));
    assert.deepEqual(
      other.issues.map((i) => i.type),
      ['unknown_format'],
    );
  });

  it('should report damaged gzip data', async () => {
    const zipped = gzipSync(JSON.stringify(records));
    zipped.fill(0x41, 12, 30);
    const out = await read(file('damaged.gz', zipped));
    assert.equal(out.issues[0]!.type, 'truncated_gzip');
    assert.match(out.issues[0]!.message, /damaged\.gz": the gzip data is damaged/);
  });

  it('should read concatenated gzip members (cat a.gz b.gz) as one stream', async () => {
    const joined = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"a":2}\n')]);
    const out = await read(file('joined.jsonl.gz', joined));
    assert.deepEqual(
      out.documents.map((d) => d.value),
      [{ a: 1 }, { a: 2 }],
    );
  });

  it('should unwrap a gzip inside a gzip', async () => {
    const out = await read(file('twice.gz', gzipSync(gzipSync(JSON.stringify(records)))));
    assert.equal(out.documents.length, 2);
  });

  it('should read a gzip file whole or streamed to the same documents and issues', async () => {
    const lines = Array.from({ length: 3000 }, (_, k) => JSON.stringify({ k })).join('\n');
    const zipped = gzipSync(lines);
    const damaged = Buffer.from(zipped);
    damaged.fill(0x41, 40, 60);
    // Concatenated members: the trailer names only the last one's size, so it understates.
    const joined = Buffer.concat([gzipSync(`${lines}\n`), gzipSync('{"last":true}')]);
    // A trailer that announces more than is inflated whole: streamed instead.
    const padLine = `{"pad":"${'x'.repeat(53)}"}\n`; // 64 bytes: 20 MiB of whole lines
    const big = gzipSync(Buffer.alloc(20 << 20, padLine));
    const cases: [string, Buffer][] = [
      ['whole.jsonl.gz', zipped],
      ['cut.jsonl.gz', zipped.subarray(0, zipped.length >> 1)],
      ['damaged.jsonl.gz', damaged],
      ['joined.jsonl.gz', joined],
      ['twice.jsonl.gz', gzipSync(zipped)],
      ['big.jsonl.gz', big],
    ];
    for (const [name, bytes] of cases) {
      const streamed = await read(file(name, bytes));
      // With its size known and small, the file is read and inflated in one piece.
      const whole = await read({ path: join(dir, name), size: bytes.length });
      assert.deepEqual(whole, streamed, name);
      const faulty = name.startsWith('cut') || name.startsWith('damaged');
      assert.equal(streamed.issues[0]?.type, faulty ? 'truncated_gzip' : undefined, name);
    }
    const [joinedWhole, bigWhole] = await Promise.all([
      read({ path: join(dir, 'joined.jsonl.gz'), size: joined.length }),
      read({ path: join(dir, 'big.jsonl.gz'), size: big.length }),
    ]);
    assert.equal(joinedWhole.documents.length, 3001);
    assert.deepEqual(joinedWhole.documents.at(-1)!.value, { last: true });
    assert.equal(bigWhole.bytesDecoded, 20 << 20);
    assert.equal(bigWhole.issues.length, 0);
  });

  it('should report an empty file, a whitespace file and an empty gzip', async () => {
    for (const [name, content] of [
      ['empty.json', ''],
      ['blank.json', ' \n\n\t'],
      ['empty.gz', gzipSync('')],
    ] as const) {
      const out = await read(file(name, content));
      assert.equal(out.documents.length, 0);
      assert.deepEqual(
        out.issues.map((i) => [i.type, i.at.path]),
        [['empty_file', join(dir, name)]],
      );
    }
  });

  it('should report binary data and name archives it recognises', async () => {
    const binary = await read(file('image.json', Buffer.from([0x7b, 0, 1, 2, 3, 0xff])));
    assert.deepEqual(
      binary.issues.map((i) => i.type),
      ['binary_data'],
    );
    const zip = await read(file('logs.json', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])));
    assert.match(zip.issues[0]!.message, /logs\.json": it is a zip archive; unzip it/);
  });

  it('should read UTF-8 with a byte-order mark and UTF-16 as PowerShell writes it', async () => {
    const text =
      '[{"operationName":{"value":"Microsoft.Compute/virtualMachines/deallocate/action"}}]';
    const bom = await read(
      file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
    );
    assert.deepEqual(bom.issues, []);
    assert.equal(bom.documents.length, 1);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`\n${text}`, 'utf16le')]);
    const utf16 = await read(file('ps.json', le));
    assert.deepEqual(utf16.issues, []);
    assert.deepEqual(
      utf16.documents.map((d) => [d.value, d.at.line]),
      [[JSON.parse(text)[0], 2]],
    );
  });

  it('should leave JSON of the wrong shape to the providers, and report a bare scalar file', async () => {
    // Elements that are not records are still documents: the pipeline says what is wrong.
    const scalars = await read(file('scalars.json', '[1, "a", null]'));
    assert.deepEqual(
      scalars.documents.map((d) => d.value),
      [1, 'a', null],
    );
    const bare = await read(file('bare.json', '"just a string"'));
    assert.deepEqual(
      bare.issues.map((i) => i.type),
      ['unknown_format'],
    );
    assert.match(
      bare.issues[0]!.message,
      /bare\.json": it is a bare JSON value \("\\"just a string\\""\), not records/,
    );
  });

  it('should report content of an unknown format, naming the file', async () => {
    const out = await read(file('notes.txt', 'hello world\nthis is not a log\n'));
    assert.equal(out.issues[0]!.type, 'unknown_format');
    assert.match(
      out.issues[0]!.message,
      /notes\.txt": it is not JSON, JSON lines or CSV with a header \(it starts with "hello world"\)/,
    );
  });

  it('should read a Log Analytics CSV export as rows keyed by the header', async () => {
    const csv = [
      'TimeGenerated [UTC],OperationNameValue,ActivityStatusValue,Properties',
      '2024-05-01T10:00:00Z,MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION,Succeeded,"{""a"":""b,\nc""}"',
      '',
      '2024-05-01T11:00:00Z,Microsoft.Compute/virtualMachines/read,Succeeded,{}',
      '2024-05-01T12:00:00Z,Microsoft.Compute/virtualMachines/deallocate/action,Started,{}',
    ].join('\r\n');
    const out = await read(file('AzureActivity.csv', csv));
    assert.deepEqual(
      out.documents.map((d) => d.at),
      [
        { index: 0, line: 2 },
        { index: 1, line: 5 },
        { index: 2, line: 6 },
      ],
    );
    assert.deepEqual(out.documents[0]!.value, {
      'TimeGenerated [UTC]': '2024-05-01T10:00:00Z',
      OperationNameValue: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION',
      ActivityStatusValue: 'Succeeded',
      Properties: '{"a":"b,\nc"}',
    });
    const filtered = await read(file('AzureActivity2.csv', csv), { needles: ['deallocate'] });
    assert.deepEqual(
      filtered.documents.map((d) => d.at.index),
      [0, 2],
    );
    assert.equal(filtered.skipped, 1);
    // With anyCase the needles match rows in any letter case, and only those.
    const odd = `${csv}\r\n2024-05-01T13:00:00Z,Microsoft.Compute/virtualMachines/DeAllocate/action,Started,{}`;
    const folded = await read(file('AzureActivity3.csv', odd), {
      needles: ['deallocate'],
      anyCase: true,
    });
    assert.deepEqual(
      folded.documents.map((d) => d.at.index),
      [0, 2, 3],
    );
    const exact = await read(file('AzureActivity4.csv', odd), { needles: ['deallocate'] });
    assert.deepEqual(
      exact.documents.map((d) => d.at.index),
      [0, 2],
    );
  });

  it('should narrow the needles from the start once the first document is read', async () => {
    // 4000 records of ~600 bytes: the file spans three 1 MiB reads. A delivery file is
    // usually one read, so narrowing must already judge the chunk the first document is in.
    const pad = 'p'.repeat(560);
    const records = Array.from({ length: 4000 }, (_, k) => ({
      k,
      n: k % 2 === 0 ? 'AAA' : 'BBB',
      pad,
    }));
    const input = file('narrow.json', JSON.stringify({ Records: [{ first: true }, ...records] }));
    let seen: unknown;
    let calls = 0;
    const out = await read(input, {
      needles: ['AAA', 'BBB'],
      narrowNeedles: (first) => {
        calls += 1;
        seen = JSON.parse(first.bytes!.toString());
        return { needles: ['AAA'] };
      },
    });
    assert.deepEqual(seen, { first: true });
    assert.equal(calls, 1);
    const kept = out.documents.slice(1).map((d) => d.value as { k: number; n: string });
    assert.equal(kept.filter((r) => r.n === 'AAA').length, 2000);
    assert.equal(kept.filter((r) => r.n === 'BBB').length, 0);
    assert.equal(out.skipped, 2000);
  });

  it('should narrow from the next chunk on when the first document outgrows the first read', async () => {
    // The first document alone is larger than one read: it cannot be judged up front.
    const big = { first: 'x'.repeat(1_200_000) };
    const records = Array.from({ length: 4000 }, (_, k) => ({ k, n: k % 2 === 0 ? 'AAA' : 'BBB' }));
    const input = file('narrow-late.json', JSON.stringify({ Records: [big, ...records] }));
    const out = await read(input, {
      needles: ['AAA', 'BBB'],
      narrowNeedles: () => ({ needles: ['AAA'] }),
    });
    const kept = out.documents.slice(1).map((d) => d.value as { k: number; n: string });
    assert.equal(kept.filter((r) => r.n === 'AAA').length, 2000);
    assert.equal(out.skipped + kept.length, 4000);
  });

  it('should stop reading, and let go of the file, when the consumer stops early', async () => {
    const lines = Array.from({ length: 200_000 }, (_, k) => JSON.stringify({ k })).join('\n');
    const input = file('early.jsonl.gz', gzipSync(lines));
    let batches = 0;
    let documents = 0;
    for await (const batch of readDocuments(input)) {
      batches++;
      documents += batch.documents.length;
      if (documents > 0) break;
    }
    assert.equal(batches, 1);
    // The whole file is still readable afterwards: nothing was left half-open or locked.
    assert.equal((await read(input)).documents.length, 200_000);
  });

  it('should frame a stream that hands out chunks larger than the index takes', async () => {
    // One 3 MB chunk from a Readable: cut into pieces, the documents come out whole.
    const records = Array.from({ length: 6000 }, (_, k) => ({ k, pad: 'q'.repeat(480) }));
    const stdin = Readable.from([Buffer.from(JSON.stringify({ Records: records }))]);
    const out = await read({ path: '-' }, { stdin });
    assert.deepEqual(out.issues, []);
    assert.deepEqual(
      out.documents.map((d) => d.value),
      records,
    );
  });

  it('should read standard input from the stream it is given', async () => {
    const stdin = Readable.from([Buffer.from('{"a":1}\n{"a"'), Buffer.from(':2}\n')]);
    const out = await read({ path: '-' }, { stdin });
    assert.deepEqual(
      out.documents.map((d) => d.value),
      [{ a: 1 }, { a: 2 }],
    );
  });

  it('should read real standard input in a child process, gzipped', () => {
    const script = fileURLToPath(new URL('./read-documents.ts', import.meta.url));
    const code = `import { readDocuments } from ${JSON.stringify(script)};
      let n = 0; for await (const b of readDocuments({ path: '-' })) n += b.documents.length;
      console.log(n);`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', code],
      {
        input: gzipSync(JSON.stringify(records)),
        encoding: 'utf8',
      },
    );
    assert.equal(child.stderr, '');
    assert.equal(child.stdout.trim(), '2');
  });

  it('should report a file that cannot be opened and a directory given as a file', async () => {
    const missing = await read({ path: join(dir, 'missing.json') });
    assert.deepEqual(
      missing.issues.map((i) => i.type),
      ['unreadable_file'],
    );
    assert.match(
      missing.issues[0]!.message,
      /missing\.json": no such file or directory; check the path/,
    );
    const folder = await read({ path: dir });
    assert.match(folder.issues[0]!.message, /it is a directory/);
    // The same when the listing gave a size (the file read whole) and it went away since.
    const gone = await read({ path: join(dir, 'gone.json.gz'), size: 100 });
    assert.deepEqual(gone.issues, [
      {
        ...missing.issues[0]!,
        at: { ...missing.issues[0]!.at, path: join(dir, 'gone.json.gz') },
        message: missing.issues[0]!.message.replace('missing.json', 'gone.json.gz'),
      },
    ]);
  });

  it('should read a 50 MB single line', async () => {
    const blob = 'y'.repeat(50 * 1024 * 1024);
    const out = await read(file('big.jsonl', `{"a":1}\n{"blob":"${blob}"}\n{"a":2}\n`));
    assert.equal(out.documents.length, 3);
    assert.equal((out.documents[1]!.value as { blob: string }).blob.length, blob.length);
    assert.deepEqual(
      out.documents.map((d) => d.at.line),
      [1, 2, 3],
    );
  });

  it('should read every corpus file without an issue, the known wrappers split', async () => {
    const expectations: Array<[string, number, string | undefined]> = [
      ['aws/traildiscover/StopInstances.json', 1, undefined],
      ['aws/plaso/aws_cloudtrail.jsonl', 6, undefined],
      ['aws/stratus-red-team/aws.execution.ec2-user-data.json', 35, undefined],
      ['gcp/iap-desktop/entries.jsonl', 62, undefined],
      ['azure/plaso/azure_activity_log.jsonl', 4, undefined],
    ];
    for (const [relative, count, container] of expectations) {
      const out = await read({ path: corpusPath(relative) });
      assert.deepEqual(out.issues, [], relative);
      assert.equal(out.documents.length, count, relative);
      assert.ok(out.documents.every((d) => d.container === container));
    }
    const pages = await read({ path: corpusPath('gcp/iap-desktop/other-shapes.jsonl') });
    assert.ok(pages.documents.some((d) => d.container === 'entries'));
    assert.deepEqual(pages.issues, []);
  });

  it('should never throw on random or mutated bytes, and name the file in every issue (property)', async () => {
    const valid = JSON.stringify(records);
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc
        .tuple(fc.nat(valid.length), fc.uint8Array({ maxLength: 4 }))
        .map(([k, b]) =>
          Buffer.concat([Buffer.from(valid.slice(0, k)), b, Buffer.from(valid.slice(k))]),
        ),
      fc.nat(200).map((k) => gzipSync(valid).subarray(0, k)),
      fc.string().map((s) => Buffer.from(s)),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        const input = file(`fuzz-${run++}`, bytes);
        // Documents are not parsed here: framing never validates what it does not need to.
        const issues: RecordIssue[] = [];
        const needles = run % 2 === 0 ? ['Stop', 'ecord'] : undefined;
        for await (const batch of readDocuments(input, { needles })) issues.push(...batch.issues);
        for (const issue of issues) {
          assert.equal(issue.at.path, input.path);
          assert.ok(issue.message.includes(`"${input.path}"`), issue.message);
        }
      }),
      { numRuns: 200 },
    );
  });
});
