import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { namePattern } from './name-pattern.ts';

describe('namePattern', () => {
  it('should match whole words of ids and names, in any case', () => {
    const alice = namePattern('alice');
    for (const value of [
      'alice',
      'ALICE@example.com',
      'arn:aws:iam::111122223333:user/alice',
      'AWSReservedSSO_Admin_1a2b/alice',
      'alice.smith@example.com',
    ]) {
      assert.ok(alice.test(value), value);
    }
    for (const value of ['malice', 'alicefoo', 'al ice', undefined, null, '']) {
      assert.ok(!alice.test(value), String(value));
    }
    assert.ok(namePattern('u1').test('arn:aws:iam::1:user/u1'));
    assert.ok(!namePattern('u1').test('arn:aws:iam::1:user/u10'));
    assert.ok(namePattern('alice@example.com').test('ALICE@EXAMPLE.COM'));
    assert.ok(namePattern('Maria García').test('maria garcía (contoso)'));
  });

  it('should let * stand for any run of characters', () => {
    assert.ok(namePattern('u1*').test('user/u10'));
    assert.ok(namePattern('*lice').test('malice'));
    assert.ok(namePattern('ali*').test('alice@example.com'));
    assert.ok(!namePattern('ali*').test('natalie'));
    assert.ok(namePattern('*').test('anything'));
    assert.equal(namePattern('*admin*role*').literal, 'admin');
    assert.equal(namePattern('Alice').literal, 'alice');
  });

  it('should take regular-expression characters literally', () => {
    assert.ok(namePattern('a.b').test('a.b'));
    assert.ok(!namePattern('a.b').test('axb'));
    assert.ok(namePattern('(x)').test('role (x) here'));
    assert.ok(!namePattern('a+').test('aaa'));
  });

  it('should match every value that holds the text as a whole word, and contain its literal (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const sep = fc.constantFrom('/', '@', '.', ':', '_', ' ', '-');
    fc.assert(
      fc.property(word, word, word, sep, sep, (left, text, right, s1, s2) => {
        const value = `${left}${s1}${text.toUpperCase()}${s2}${right}`;
        const pattern = namePattern(text);
        assert.ok(pattern.test(value));
        assert.ok(value.toLowerCase().includes(pattern.literal));
        // Glued to a letter on the left, it is another word.
        assert.equal(pattern.test(`x${text}`), false);
      }),
    );
  });
});
