import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MultiNeedleSearch } from './multi-needle-search.ts';

/** ASCII letters to lower case, for the brute force of `anyCase`. */
function lower(bytes: Buffer): Buffer {
  return Buffer.from(bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)));
}

/** Every occurrence of every needle, by brute force, in the order the search promises. */
function naive(text: Buffer, needles: readonly Buffer[], anyCase = false): string[] {
  const hits: string[] = [];
  const same = anyCase ? lower : (bytes: Buffer) => bytes;
  for (let start = 0; start < text.length; start++) {
    for (const needle of needles) {
      if (
        start + needle.length <= text.length &&
        same(text.subarray(start, start + needle.length)).equals(same(needle))
      ) {
        hits.push(`${start}-${start + needle.length}`);
      }
    }
  }
  return hits;
}

function found(search: MultiNeedleSearch, text: Buffer): string[] {
  const hits: string[] = [];
  search.search(text, (start, end) => hits.push(`${start}-${end}`));
  return hits;
}

describe('MultiNeedleSearch', () => {
  it("should find the providers' needles where they are", () => {
    const needles = [
      '"StopInstances',
      'compute.instances.stop',
      'eallocate',
      'owerOff',
      '"ackId',
    ].map((n) => Buffer.from(n));
    const text = Buffer.from(
      '{"eventName":"StopInstances","m":"v1.compute.instances.stop","o":"deallocate/action"}',
    );
    assert.deepEqual(found(new MultiNeedleSearch(needles), text), ['13-27', '37-59', '67-76']);
  });

  it('should find exactly what a brute-force search finds (property)', () => {
    const unit = fc.constantFrom('a', 'b', 'c', '"', 'é');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.string({ unit, maxLength: 80 }),
        (needleText, haystack) => {
          // Sorting by start then by needle order is how both sides list ties.
          const needles = needleText.map((n) => Buffer.from(n));
          const text = Buffer.from(haystack);
          const sort = (hits: string[]) => [...hits].sort();
          const search = new MultiNeedleSearch(needles);
          assert.deepEqual(sort(found(search, text)), sort(naive(text, needles)));
          const starts = found(search, text).map((h) => Number(h.split('-')[0]));
          assert.deepEqual(
            starts,
            [...starts].sort((x, y) => x - y),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('should match ASCII letters in either case with anyCase, and nothing else more', () => {
    const needles = ['deallocate', 'poweroff', 'power off'].map((n) => Buffer.from(n));
    const text = Buffer.from(
      '"MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION" "DeAllocate" "POWERoff" "Power Off" "power_off" "dëallocate"',
    );
    const search = new MultiNeedleSearch(needles, { anyCase: true });
    assert.deepEqual(found(search, text), ['35-45', '55-65', '68-76', '79-88']);
    // Without it, bytes match exactly.
    assert.deepEqual(found(new MultiNeedleSearch(needles), text), []);
  });

  it('should find in any case exactly what a folding brute force finds (property)', () => {
    const unit = fc.constantFrom('a', 'B', 'b', 'A', '@', '`', '[', '{', 'é', 'É');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.string({ unit, maxLength: 60 }),
        (needleText, haystack) => {
          const needles = needleText.map((n) => Buffer.from(n));
          const text = Buffer.from(haystack);
          const sort = (hits: string[]) => [...hits].sort();
          const search = new MultiNeedleSearch(needles, { anyCase: true });
          assert.deepEqual(sort(found(search, text)), sort(naive(text, needles, true)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
