import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StructuralIndex } from './structural-index.ts';

/**
 * The same index, byte by byte, as the framer reads bytes: a backslash escapes only inside
 * a string. `stray` says a backslash stood outside one.
 */
function reference(
  b: Buffer,
  inString: boolean,
  escapeNext: boolean,
): { positions: number[]; mask: boolean[]; stray: boolean } {
  const positions: number[] = [];
  const mask: boolean[] = [];
  let within = inString;
  let escaped = escapeNext;
  let stray = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (escaped) {
      escaped = false;
      mask.push(within);
      continue;
    }
    if (c === 0x5c) {
      if (within) escaped = true;
      else stray = true;
    } else if (c === 0x22) {
      within = !within;
      mask.push(true && within);
      continue;
    } else if (!within && (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x0a)) {
      positions.push(i);
    }
    mask.push(within);
  }
  return { positions, mask, stray };
}

describe('StructuralIndex', () => {
  const index = StructuralIndex.create();

  it('should be available on this Node', () => {
    assert.ok(index !== undefined);
  });

  it('should find brackets and line breaks outside strings', () => {
    const b = Buffer.from('{"a":"x}\\"]","b":[1,\n2]}');
    assert.equal(index!.build(b, false, false), true);
    assert.deepEqual([...index!.positions], [0, 17, 20, 22, 23]);
    assert.equal(index!.inString(5), true);
    assert.equal(index!.inString(11), false);
  });

  it('should agree with a byte-by-byte reading whatever the bytes and start state (property)', () => {
    const unit = fc.constantFrom(...'"\\{}[]\na '.split(''));
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        (text, inString, escape) => {
          // The framer carries a pending escape only inside a string.
          const escapeNext = inString && escape;
          const b = Buffer.from(text);
          const expected = reference(b, inString, escapeNext);
          const built = index!.build(b, inString, escapeNext);
          // Until the first stray backslash both readings agree, so only a stray one may refuse.
          if (!expected.stray) assert.equal(built, true);
          if (!built) return;
          assert.deepEqual([...index!.positions], expected.positions);
          for (let i = 0; i < b.length; i++)
            assert.equal(index!.inString(i), expected.mask[i], `byte ${i}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
