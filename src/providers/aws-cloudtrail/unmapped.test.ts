import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectUnmapped } from './unmapped.ts';

describe('collectUnmapped', () => {
  it('should keep siblings of consumed paths under dotted keys', () => {
    const value = { a: 1, b: { c: 2, d: { e: 3, f: 4 } }, g: [1] };
    assert.deepEqual(collectUnmapped(value, new Set(['b.c', 'b.d.e'])), {
      a: 1,
      'b.d.f': 4,
      g: [1],
    });
  });

  it('should drop a consumed subtree whole and leave out empty values', () => {
    const value = { a: { b: 1, c: 2 }, n: null, o: {}, l: [], s: '' };
    assert.deepEqual(collectUnmapped(value, new Set(['a'])), { s: '' });
  });

  it('should keep a member named __proto__ as data, not as a prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<
      string,
      unknown
    >;
    const out = collectUnmapped(value, new Set(['a']));
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal((out as { polluted?: unknown }).polluted, undefined);
  });
});
