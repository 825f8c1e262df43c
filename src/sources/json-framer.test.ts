import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonFramer } from './json-framer.ts';

interface Framed {
  readonly documents: string[];
  readonly issues: string[];
  readonly skipped: number;
  readonly layout: string;
}

/** Frames `bytes` cut at the given sizes (cycled), as a reader with odd chunking would. */
function frame(
  bytes: Buffer,
  sizes: readonly number[] = [bytes.length || 1],
  needles?: string[],
  structural: 'auto' | 'always' | 'off' = 'auto',
): Framed {
  const framer = new JsonFramer('in.json', { needles, structural });
  const documents: string[] = [];
  const issues: string[] = [];
  let skipped = 0;
  function take(out: ReturnType<JsonFramer['push']>): void {
    for (const d of out.documents) {
      // Copy now: views are only valid until the next push.
      documents.push(
        `${d.at.index}@${d.at.line}${d.container ? `/${d.container}` : ''} ${d.bytes!.toString()}`,
      );
    }
    for (const issue of out.issues) issues.push(`${issue.type}@${issue.at.line} ${issue.message}`);
    skipped += out.skipped;
  }
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    take(framer.push(bytes.subarray(at, at + size)));
    at += size;
  }
  take(framer.end());
  return { documents, issues, skipped, layout: framer.layout };
}

function text(documents: readonly string[]): string[] {
  return documents.map((d) => d.slice(d.indexOf(' ') + 1));
}

describe('JsonFramer', () => {
  it('should split a {"Records":[...]} delivery file into its records', () => {
    const out = frame(Buffer.from('{"Records":[{"eventName":"StopInstances"},{"b":"x\\"}]"}]}'));
    assert.deepEqual(out.documents, [
      '0@1/Records {"eventName":"StopInstances"}',
      '1@1/Records {"b":"x\\"}]"}',
    ]);
    assert.deepEqual(out.issues, []);
  });

  it('should split every known wrapper key and keep other top-level objects whole', () => {
    for (const key of ['Records', 'records', 'Events', 'entries', 'value']) {
      const out = frame(Buffer.from(`{"nextPageToken":"t","${key}":[{"a":1}],"other":{"x":[1]}}`));
      assert.deepEqual(out.documents, [`0@1/${key} {"a":1}`]);
    }
    // A wrapper key whose value is not an array (a page holding an object) is no wrapper.
    assert.deepEqual(text(frame(Buffer.from('{"entries":{"a":1}}')).documents), [
      '{"entries":{"a":1}}',
    ]);
    // Letter case matters: "RECORDS" is a field, not the CloudTrail wrapper.
    assert.deepEqual(text(frame(Buffer.from('{"RECORDS":[1]}')).documents), ['{"RECORDS":[1]}']);
    // Only top-level objects are unwrapped: a record holding a "value" array stays whole.
    assert.deepEqual(text(frame(Buffer.from('[{"value":[1,2]}]')).documents), ['{"value":[1,2]}']);
  });

  it('should read a top-level array element by element, scalars included', () => {
    const out = frame(Buffer.from('[\n  {"a": 1},\n  "s", -1.5e3, true, null,\n  [2]\n]\n'));
    assert.deepEqual(out.documents, [
      '0@2 {"a": 1}',
      '1@3 "s"',
      '2@3 -1.5e3',
      '3@3 true',
      '4@3 null',
      '5@4 [2]',
    ]);
    assert.equal(out.layout, 'json');
  });

  it('should read JSON lines, report a bad line with its number and go on', () => {
    const out = frame(
      Buffer.from('{"a":1}\r\n\n{"b":[1,{"c":2}]}\n{"broken":\n{"d":4} trailing\n{"e":5}'),
    );
    assert.equal(out.layout, 'json-lines');
    assert.deepEqual(out.documents, [
      '0@1 {"a":1}',
      '1@3 {"b":[1,{"c":2}]}',
      '3@5 {"d":4}',
      '4@6 {"e":5}',
    ]);
    assert.equal(out.issues.length, 2);
    assert.match(
      out.issues[0]!,
      /^invalid_json@4 Cannot read "in\.json": line 4 is not valid JSON \(the line ends before its JSON value is complete\)/,
    );
    assert.match(out.issues[1]!, /^invalid_json@5 .*line 5 .*text follows the JSON value/);
  });

  it('should split wrapper lines (one {"records":[...]} per line) and unwrap each', () => {
    const out = frame(Buffer.from('{"records":[{"a":1},{"a":2}]}\n{"records":[{"a":3}]}\n'));
    assert.deepEqual(out.documents, [
      '0@1/records {"a":1}',
      '1@1/records {"a":2}',
      '2@2/records {"a":3}',
    ]);
  });

  it('should read a pretty-printed document and a stream of concatenated documents', () => {
    const out = frame(Buffer.from('{\n  "a": {"b": [1, 2]}\n}\n{"c": 3}{"d": 4}\n[{"e": 5}]'));
    assert.equal(out.layout, 'json');
    assert.deepEqual(out.documents, [
      '0@1 {\n  "a": {"b": [1, 2]}\n}',
      '1@4 {"c": 3}',
      '2@4 {"d": 4}',
      '3@5 {"e": 5}',
    ]);
  });

  it('should end the file at broken structure and keep the documents before it', () => {
    const out = frame(Buffer.from('[{"a":1},{"b":2} {"c":3},{"d":4}]'));
    assert.deepEqual(text(out.documents), ['{"a":1}', '{"b":2}']);
    assert.equal(out.issues.length, 1);
    assert.match(
      out.issues[0]!,
      /invalid JSON at line 1 \(document 2\): expected ',' or '\]', found '\{'; the rest of the file was skipped/,
    );
  });

  it('should report a file that ends inside a value or an open array', () => {
    const inside = frame(Buffer.from('{"Records":[{"a":1},{"b":'));
    assert.deepEqual(text(inside.documents), ['{"a":1}']);
    assert.match(
      inside.issues[0]!,
      /the file ends before its array is closed|the file ends inside/,
    );
    const value = frame(Buffer.from('[\n{"a":1},\n{"b":"unterminated'));
    assert.match(
      value.issues[0]!,
      /the file ends inside the JSON value that starts at line 3; it may be truncated/,
    );
    // A damaged gzip already says the bytes were cut: no second issue for the same cut.
    const framer = new JsonFramer('cut.json');
    framer.push(Buffer.from('[{"a":1},{"b":'));
    assert.deepEqual(framer.end({ truncated: true }).issues, []);
  });

  it('should report text that is not JSON where a document should start', () => {
    const out = frame(Buffer.from('{"a":1}\n{"b":2}\n]'));
    assert.equal(out.documents.length, 2);
    assert.match(
      out.issues[0]!,
      /line 3 is not valid JSON \(found '\]' where a JSON object or array should start\)/,
    );
  });

  it('should keep only documents holding a needle, and always the first', () => {
    const bytes = Buffer.from(
      '[{"n":"a"},{"n":"StopInstances"},{"n":"b"},{"p":"{\\"Action\\":\\"ec2:StopInstances\\"}"}]',
    );
    const out = frame(bytes, [bytes.length], ['StopInstances']);
    assert.deepEqual(out.documents, [
      '0@1 {"n":"a"}',
      '1@1 {"n":"StopInstances"}',
      '3@1 {"p":"{\\"Action\\":\\"ec2:StopInstances\\"}"}',
    ]);
    assert.equal(out.skipped, 1);
    // A needle cut by every possible chunk boundary is still found.
    for (let size = 1; size < 20; size++)
      assert.deepEqual(frame(bytes, [size], ['StopInstances']), out);
  });

  it('should hold a document only as long as it is: a 50 MB single line', () => {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const bytes = Buffer.from(`{"Records":[{"a":1},{"blob":"${big}"},{"b":2}]}\n`);
    const out = new JsonFramer('big.json');
    const lengths: number[] = [];
    for (let at = 0; at < bytes.length; at += 1 << 20) {
      for (const d of out.push(bytes.subarray(at, at + (1 << 20))).documents)
        lengths.push(d.bytes!.length);
    }
    assert.deepEqual(lengths, [7, big.length + 11, 7]);
  });

  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  const chunkSizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });

  it('should frame identically whatever the chunk sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(jsonValue, { maxLength: 8 }),
        chunkSizes,
        fc.boolean(),
        (values, sizes, pretty) => {
          const layouts = [
            Buffer.from(JSON.stringify(values, null, pretty ? 2 : 0)),
            Buffer.from(JSON.stringify({ Records: values })),
            Buffer.from(values.map((v) => JSON.stringify({ v })).join('\n')),
          ];
          for (const bytes of layouts) {
            const whole = frame(bytes);
            assert.deepEqual(whole.issues, []);
            assert.deepEqual(frame(bytes, sizes), whole);
          }
          // Each element is returned as exactly its own JSON text (compared after a round
          // trip: JSON has no -0).
          const expected = JSON.parse(JSON.stringify(values)) as unknown;
          const elements = text(frame(layouts[0]!).documents).map((d) => JSON.parse(d));
          assert.deepEqual(elements, expected);
          assert.deepEqual(
            text(frame(layouts[1]!).documents).map((d) => JSON.parse(d)),
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should keep exactly the documents that hold a needle (property)', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', '"', '\\', '{', '}', ']', ':', 'é'),
      maxLength: 8,
    });
    const record = fc.dictionary(word, fc.oneof(word, fc.array(word, { maxLength: 3 })), {
      maxKeys: 3,
    });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 10 }),
        chunkSizes,
        fc.constantFrom('ab', 'a\\"', 'b]', 'é'),
        (records, sizes, needle) => {
          const bytes = Buffer.from(JSON.stringify({ records }));
          const all = text(frame(bytes).documents);
          const out = frame(bytes, sizes, [needle]);
          const expected = all.filter((d, k) => k === 0 || d.includes(needle));
          assert.deepEqual(text(out.documents), expected);
          assert.equal(out.skipped, all.length - expected.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should skip JSON lines without a needle unframed, yet split wrapper lines (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', '"', '{', '}'), maxLength: 6 });
    const line = fc.oneof(
      fc.dictionary(word, word, { maxKeys: 3 }).map((record) => JSON.stringify(record)),
      fc
        .array(fc.dictionary(word, word, { maxKeys: 2 }), { maxLength: 3 })
        .map((records) => JSON.stringify({ records })),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), chunkSizes, (lines, sizes) => {
        const bytes = Buffer.from(['{"first":1}', ...lines].join('\n'));
        const all = frame(bytes);
        const whole = frame(bytes, [bytes.length], ['ab']);
        assert.deepEqual(frame(bytes, sizes, ['ab']), whole);
        // Exactly the documents holding the needle, and the first, with their places.
        assert.deepEqual(
          whole.documents,
          all.documents.filter((d, k) => k === 0 || text([d])[0]!.includes('ab')),
        );
        assert.equal(whole.skipped + whole.documents.length, all.documents.length);
      }),
      { numRuns: 500 },
    );
  });

  it('should hand every skipped document to onSkipped, exactly once (property)', () => {
    // Coverage counts every record from these views: each document must be either returned
    // or passed to the hook, once, as its own text, whatever the layout and chunking.
    const word = fc.string({ unit: fc.constantFrom('a', 'b', '"', '\\', '{', '}'), maxLength: 6 });
    const record = fc.dictionary(word, fc.oneof(word, fc.array(word, { maxLength: 2 })), {
      maxKeys: 3,
    });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 10 }),
        chunkSizes,
        fc.constantFrom('records', 'lines', 'array', 'pretty'),
        fc.boolean(),
        (records, sizes, layout, structural) => {
          const texts = records.map((r) => JSON.stringify(r));
          const bytes = Buffer.from(
            layout === 'records'
              ? JSON.stringify({ records })
              : layout === 'lines'
                ? ['{"first":1}', ...texts].join('\n')
                : JSON.stringify(records, null, layout === 'pretty' ? 2 : 0),
          );
          const all = text(frame(bytes).documents);
          const seen: string[] = [];
          const containers = new Set<string | undefined>();
          const framer = new JsonFramer('in.json', {
            needles: ['ab'],
            structural: structural ? 'always' : 'off',
            onSkipped: (view, container) => {
              // Copied now: the view is only valid during the call.
              seen.push(view.toString());
              containers.add(container);
            },
          });
          const kept: string[] = [];
          let skipped = 0;
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const size = sizes[k % sizes.length]!;
            const out = framer.push(bytes.subarray(at, at + size));
            for (const d of out.documents) kept.push(d.bytes!.toString());
            skipped += out.skipped;
            at += size;
          }
          const last = framer.end();
          for (const d of last.documents) kept.push(d.bytes!.toString());
          skipped += last.skipped;
          assert.equal(seen.length, skipped);
          assert.equal(kept.length + seen.length, all.length);
          assert.ok(seen.every((d) => !d.includes('ab')));
          // Every document once: the multiset of kept and skipped texts is the framed one.
          assert.deepEqual(
            [...kept, ...seen.map((d) => d.trim())].sort(),
            all.map((d) => d.trim()).sort(),
          );
          if (seen.length > 0) {
            assert.deepEqual([...containers], [layout === 'records' ? 'records' : undefined]);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('should judge by the narrowed needles from the next chunk on (property)', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '"'), maxLength: 8 });
    const record = fc.dictionary(word, word, { maxKeys: 3 });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 10 }),
        chunkSizes,
        fc.nat(),
        (records, sizes, cut) => {
          const bytes = Buffer.from(JSON.stringify({ records }));
          // The dropped needle never occurs, so narrowing after any first chunk must give what
          // the narrow needles give from the start: needles cut by the boundary right after
          // the narrowing included (the old index's tail carries over).
          const narrowed = new JsonFramer('in.json', { needles: ['ab', 'b"', 'zz'] });
          const kept: string[] = [];
          let skipped = 0;
          let at = 0;
          for (let k = 0; at < bytes.length; k++) {
            const size = k === 0 ? 1 + (cut % bytes.length) : sizes[k % sizes.length]!;
            const out = narrowed.push(bytes.subarray(at, at + size));
            kept.push(...out.documents.map((d) => d.bytes!.toString()));
            skipped += out.skipped;
            if (k === 0) narrowed.narrow({ needles: ['ab', 'b"'] });
            at += size;
          }
          const end = narrowed.end();
          kept.push(...end.documents.map((d) => d.bytes!.toString()));
          const direct = frame(bytes, [bytes.length], ['ab', 'b"']);
          assert.deepEqual(kept, text(direct.documents));
          assert.equal(skipped + end.skipped, direct.skipped);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should frame the same with and without the SIMD index, valid or not (property)', () => {
    const mutation = fc.tuple(
      fc.nat(),
      fc.constantFrom('delete', 'insert', 'truncate'),
      fc.constantFrom(...'{}[],:"\\\n x0'),
    );
    fc.assert(
      fc.property(
        fc.array(jsonValue, { maxLength: 8 }),
        fc.array(mutation, { maxLength: 3 }),
        chunkSizes,
        fc.constantFrom(0, 1, 2),
        (values, mutations, sizes, layout) => {
          let source =
            layout === 0
              ? JSON.stringify({ Records: values })
              : layout === 1
                ? JSON.stringify(values, null, 2)
                : values.map((v) => JSON.stringify({ v })).join('\n');
          for (const [at, kind, char] of mutations) {
            const k = source.length === 0 ? 0 : at % source.length;
            source =
              kind === 'delete'
                ? source.slice(0, k) + source.slice(k + 1)
                : kind === 'insert'
                  ? source.slice(0, k) + char + source.slice(k)
                  : source.slice(0, k);
          }
          const bytes = Buffer.from(source);
          const plain = frame(bytes, [bytes.length], undefined, 'off');
          assert.deepEqual(frame(bytes, [bytes.length], undefined, 'always'), plain);
          assert.deepEqual(frame(bytes, sizes, undefined, 'always'), plain);
          assert.deepEqual(frame(bytes, sizes, ['a'], 'always'), frame(bytes, sizes, ['a'], 'off'));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('should never throw on mutated JSON, name the file in every issue, and ignore chunking (property)', () => {
    const mutation = fc.tuple(
      fc.nat(),
      fc.constantFrom('delete', 'insert', 'truncate'),
      fc.constantFrom(...'{}[],:"\\\n x0'),
    );
    fc.assert(
      fc.property(
        fc.array(jsonValue, { maxLength: 6 }),
        fc.array(mutation, { maxLength: 4 }),
        chunkSizes,
        fc.boolean(),
        (values, mutations, sizes, lines) => {
          let source = lines
            ? values.map((v) => JSON.stringify({ v })).join('\n')
            : JSON.stringify({ Records: values });
          for (const [at, kind, char] of mutations) {
            const k = source.length === 0 ? 0 : at % source.length;
            source =
              kind === 'delete'
                ? source.slice(0, k) + source.slice(k + 1)
                : kind === 'insert'
                  ? source.slice(0, k) + char + source.slice(k)
                  : source.slice(0, k);
          }
          const bytes = Buffer.from(source);
          const whole = frame(bytes);
          for (const issue of whole.issues) assert.match(issue, /Cannot read "in\.json"/);
          assert.deepEqual(frame(bytes, sizes), whole);
        },
      ),
      { numRuns: 500 },
    );
  });
});
