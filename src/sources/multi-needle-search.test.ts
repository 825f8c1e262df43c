import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MultiNeedleSearch } from './multi-needle-search.ts';

/** Every occurrence of every needle, by brute force, in the order the search promises. */
function naive(text: Buffer, needles: readonly Buffer[]): string[] {
  const hits: string[] = [];
  for (let start = 0; start < text.length; start++) {
    for (const needle of needles) {
      if (
        start + needle.length <= text.length &&
        text.subarray(start, start + needle.length).equals(needle)
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
});
