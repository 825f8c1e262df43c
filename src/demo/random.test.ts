import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseMonth } from './_calendar.ts';
import { Random } from './random.ts';

describe('Random', () => {
  it('should repeat the same sequence for the same seed', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (seed) => {
        const a = new Random(seed);
        const b = new Random(seed);
        for (let i = 0; i < 20; i++) assert.equal(a.next(), b.next());
      }),
    );
  });

  it('should keep every draw inside its bounds and shapes', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.nat({ max: 1000 }),
        (seed, min, span) => {
          const random = new Random(seed);
          const n = random.int(min, min + span);
          assert.ok(Number.isInteger(n) && n >= min && n <= min + span);
          const x = random.next();
          assert.ok(x >= 0 && x < 1);
          assert.match(
            random.uuid(),
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          );
          assert.match(random.digits(19), /^[1-9]\d{18}$/);
          assert.match(random.upper(16), /^[A-Z2-7]{16}$/);
        },
      ),
    );
  });

  it('should give forks with different labels different streams', () => {
    const root = new Random(1);
    assert.notEqual(root.fork('aws').next(), root.fork('gcp').next());
    assert.equal(new Random(1).fork('aws').next(), new Random(1).fork('aws').next());
  });

  it('should spread draws over the whole range', () => {
    const random = new Random(99);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.int(0, 9));
    assert.equal(seen.size, 10);
  });
});

describe('parseMonth', () => {
  it('should accept every real month and count its days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2999 }),
        fc.integer({ min: 1, max: 12 }),
        (year, month) => {
          const label = `${year}-${String(month).padStart(2, '0')}`;
          const parsed = parseMonth(label)!;
          assert.equal(parsed.days, new Date(Date.UTC(year, month, 0)).getUTCDate());
          assert.equal(new Date(parsed.start).toISOString().slice(0, 7), label);
        },
      ),
    );
  });

  it('should refuse text that is not a month', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return;
        assert.equal(parseMonth(text), undefined);
      }),
    );
  });
});
