import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeText } from './safe-text.ts';

describe('safeText', () => {
  it('should write hostile objects as JSON where String() throws', () => {
    const hostile = JSON.parse('{"toString":0,"valueOf":"x"}') as unknown;
    assert.throws(() => String(hostile));
    assert.equal(safeText(hostile), '{"toString":0,"valueOf":"x"}');
    assert.equal(safeText('plain'), 'plain');
    assert.equal(safeText(12), '12');
    assert.equal(safeText(null), 'null');
    assert.equal(safeText(undefined), 'undefined');
    assert.equal(safeText([1, 'a']), '[1,"a"]');
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    assert.equal(safeText(cycle), '[object]');
  });

  it('should never throw on anything JSON.parse or fast-check makes (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (value) => {
        assert.equal(typeof safeText(value), 'string');
      }),
      { numRuns: 2000 },
    );
  });
});
