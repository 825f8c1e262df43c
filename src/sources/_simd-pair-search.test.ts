import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SimdPairSearch } from './_simd-pair-search.ts';
import { MultiNeedleSearch } from './multi-needle-search.ts';

/** Every start of `needle` in `b`, overlapping ones included, as indexOf finds them. */
function native(b: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let at = b.indexOf(needle); at !== -1; at = b.indexOf(needle, at + 1)) out.push(at);
  return out;
}

function simd(search: SimdPairSearch, b: Buffer): number[] | false {
  const out: number[] = [];
  return search.search(b, (at) => out.push(at)) ? out : false;
}

describe('SimdPairSearch', () => {
  it('should find the needle where indexOf does, at the start, the end and overlapping', () => {
    const search = SimdPairSearch.create(Buffer.from('"StopInstances'))!;
    assert.ok(search, 'WebAssembly SIMD is available on Node 20');
    const text = Buffer.from(
      '"StopInstances..{"eventName":"StopInstances"} ec2:StopInstances "StopInstance "StopInstances',
    );
    assert.deepEqual(simd(search, text), native(text, Buffer.from('"StopInstances')));
    const aa = SimdPairSearch.create(Buffer.from('aXa'))!;
    const overlapping = Buffer.from('aXaXaXa');
    assert.deepEqual(simd(aa, overlapping), [0, 2, 4]);
  });

  it('should not report matches left in its memory by a longer haystack', () => {
    const search = SimdPairSearch.create(Buffer.from('Needle'))!;
    const long = Buffer.from(`${'x'.repeat(100)}Needle${'x'.repeat(100)}`);
    assert.deepEqual(simd(search, long), [100]);
    assert.deepEqual(simd(search, long.subarray(0, 103)), []);
    assert.deepEqual(simd(search, long.subarray(0, 106)), [100]);
  });

  it('should give up, for the native search to take over, past its candidate limit or size', () => {
    const search = SimdPairSearch.create(Buffer.from('AB'))!;
    assert.equal(simd(search, Buffer.alloc(200_000, 'AB')), false);
    assert.equal(simd(search, Buffer.alloc((1 << 20) + 1, 'x')), false);
    // Through the multi-needle search, the answer is the same either way.
    const multi = new MultiNeedleSearch([Buffer.from('AB')]);
    const hits: number[] = [];
    multi.search(Buffer.alloc(200_000, 'AB'), (start) => hits.push(start));
    assert.equal(hits.length, 100_000);
  });

  it('should find exactly what indexOf finds (property)', () => {
    const unit = fc.constantFrom('a', 'B', 'C', '"', '1', ':');
    fc.assert(
      fc.property(
        fc.string({ unit, minLength: 2, maxLength: 9 }),
        fc.string({ unit, maxLength: 300 }),
        fc.nat(40),
        (needleText, haystack, cut) => {
          const needle = Buffer.from(needleText);
          const search = SimdPairSearch.create(needle);
          if (!search) return;
          const text = Buffer.from(haystack);
          assert.deepEqual(simd(search, text), native(text, needle));
          // A shorter haystack after a longer one: what lies beyond it must not count.
          const shorter = text.subarray(0, Math.max(0, text.length - cut));
          assert.deepEqual(simd(search, shorter), native(shorter, needle));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('should leave the multi-needle search with the same hits on large pieces (property)', () => {
    const unit = fc.constantFrom('S', 't', 'o', 'p', '"', 'I', 'n');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 2 }),
        fc.string({ unit, minLength: 4096, maxLength: 6000 }),
        (needleTexts, haystack) => {
          const needles = needleTexts.map((n) => Buffer.from(n));
          const text = Buffer.from(haystack);
          const expected = needles
            .flatMap((n, k) => native(text, n).map((at) => `${at}:${k}`))
            .sort();
          const got: string[] = [];
          new MultiNeedleSearch(needles).search(text, (start, _end, k) =>
            got.push(`${start}:${k}`),
          );
          assert.deepEqual(got.sort(), expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
