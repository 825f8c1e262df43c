import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SimdPairSearch } from './_simd-pair-search.ts';
import { MultiNeedleSearch } from './multi-needle-search.ts';

const SAME = Uint8Array.from({ length: 256 }, (_, b) => b);
const LOWER = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));

function lower(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((b) => LOWER[b]!));
}

/** Every occurrence of every needle, by brute force, as `start:needle`, sorted. */
function naive(text: Buffer, needles: readonly Buffer[], anyCase: boolean): string[] {
  const fold = anyCase ? lower : (bytes: Buffer) => bytes;
  const hits: string[] = [];
  needles.forEach((needle, k) => {
    for (let start = 0; start + needle.length <= text.length; start++) {
      if (fold(text.subarray(start, start + needle.length)).equals(fold(needle)))
        hits.push(`${start}:${k}`);
    }
  });
  return hits.sort();
}

function simd(search: SimdPairSearch, b: Buffer): string[] | false {
  const out: string[] = [];
  return search.search(b, (start, _end, k) => out.push(`${start}:${k}`)) ? out : false;
}

function viaMulti(needles: readonly Buffer[], text: Buffer, anyCase: boolean): string[] {
  const out: string[] = [];
  new MultiNeedleSearch(needles, { anyCase }).search(text, (start, _end, k) =>
    out.push(`${start}:${k}`),
  );
  return out;
}

/** A piece big enough for the multi-needle search to hand to the SIMD one. */
function padded(text: string): Buffer {
  return Buffer.from(`${text}${' '.repeat(Math.max(0, 5000 - text.length))}`);
}

describe('SimdPairSearch', () => {
  it('should find the needles where they are: at the start, the end, overlapping', () => {
    const search = SimdPairSearch.create([Buffer.from('"StopInstances')], SAME, false);
    assert.ok(search, 'WebAssembly SIMD runs on Node 20');
    const text = Buffer.from(
      '"StopInstances..{"eventName":"StopInstances"} ec2:StopInstances "StopInstance "StopInstances',
    );
    assert.deepEqual(simd(search, text), ['0:0', '29:0', '78:0']);
    const overlapping = SimdPairSearch.create([Buffer.from('aXa')], SAME, false)!;
    assert.deepEqual(simd(overlapping, Buffer.from('aXaXaXa')), ['0:0', '2:0', '4:0']);
  });

  it('should not report matches left in its memory by a longer haystack', () => {
    const search = SimdPairSearch.create([Buffer.from('Needle')], SAME, false)!;
    const long = Buffer.from(`${'x'.repeat(100)}Needle${'x'.repeat(100)}`);
    assert.deepEqual(simd(search, long), ['100:0']);
    assert.deepEqual(simd(search, long.subarray(0, 103)), []);
    assert.deepEqual(simd(search, long.subarray(0, 106)), ['100:0']);
  });

  it('should give up, for another search to take over, past its candidate limit or size', () => {
    const search = SimdPairSearch.create([Buffer.from('AB')], SAME, false)!;
    assert.equal(simd(search, Buffer.alloc(200_000, 'AB')), false);
    assert.equal(simd(search, Buffer.alloc((1 << 20) + 1, 'x')), false);
    // Through the multi-needle search the answer is the same either way.
    assert.equal(viaMulti([Buffer.from('AB')], Buffer.alloc(200_000, 'AB'), false).length, 100_000);
  });

  it("should find the providers' needles in a large piece, Azure's in any case", () => {
    const aws = padded('{"eventName":"StopInstances","policy":"ec2:StopInstances"}');
    assert.deepEqual(viaMulti([Buffer.from('"StopInstances')], aws, false), [
      `${aws.indexOf('"StopInstances')}:0`,
    ]);
    const gcp = padded('"methodName":"v1.compute.instances.stop","x":"compute.instances.suspend"');
    const gcpNeedles = ['compute.instances.stop', 'compute.instances.suspend', '"ackId'];
    assert.deepEqual(
      viaMulti(
        gcpNeedles.map((n) => Buffer.from(n)),
        gcp,
        false,
      ),
      [`${gcp.indexOf('compute.instances.stop')}:0`, `${gcp.indexOf('compute.instances.sus')}:1`],
    );
    const azure = padded('"MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION" "POWERoff"');
    const azureNeedles = ['deallocate', 'poweroff'].map((n) => Buffer.from(n));
    assert.deepEqual(viaMulti(azureNeedles, azure, true), [
      `${azure.indexOf('DEALLOCATE')}:0`,
      `${azure.indexOf('POWERoff')}:1`,
    ]);
    assert.deepEqual(viaMulti(azureNeedles, azure, false), []);
  });

  it('should find what a brute force finds, exact or in any case, on large pieces (property)', () => {
    const unit = fc.constantFrom('S', 's', 't', 'o', 'P', '"', '1', 'n', '@', '`');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.string({ unit, minLength: 4096, maxLength: 5000 }),
        fc.boolean(),
        (needleTexts, haystack, anyCase) => {
          const needles = needleTexts.map((n) => Buffer.from(n));
          const text = Buffer.from(haystack);
          assert.deepEqual(viaMulti(needles, text, anyCase).sort(), naive(text, needles, anyCase));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should find what a brute force finds when called directly, shorter after longer (property)', () => {
    const unit = fc.constantFrom('a', 'B', 'C', '"', '1', ':');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 2, maxLength: 9 }), { minLength: 1, maxLength: 3 }),
        fc.string({ unit, maxLength: 300 }),
        fc.nat(40),
        (needleTexts, haystack, cut) => {
          const needles = needleTexts.map((n) => Buffer.from(n));
          const search = SimdPairSearch.create(needles, SAME, false)!;
          const text = Buffer.from(haystack);
          assert.deepEqual((simd(search, text) as string[]).sort(), naive(text, needles, false));
          const shorter = text.subarray(0, Math.max(0, text.length - cut));
          assert.deepEqual(
            (simd(search, shorter) as string[]).sort(),
            naive(shorter, needles, false),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
