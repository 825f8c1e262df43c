import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openMessage, pubSubShapeOf } from './pubsub.ts';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

describe('pubSubShapeOf', () => {
  it('should tell push bodies, pull messages and bare messages apart', () => {
    assert.equal(pubSubShapeOf({ message: { data: 'e30=' }, subscription: 's' }), 'pubsub-push');
    assert.equal(pubSubShapeOf({ ackId: 'a', message: { data: 'e30=' } }), 'pubsub-pull');
    assert.equal(pubSubShapeOf({ data: 'e30=', messageId: '1' }), 'pubsub-message');
    assert.equal(pubSubShapeOf({ message: 'hello' }), undefined);
    assert.equal(pubSubShapeOf([]), undefined);
  });
});

describe('openMessage', () => {
  it('should decode base64 JSON and keep the envelope facts', () => {
    const opened = openMessage(
      {
        message: { data: b64('{"insertId":"x"}'), messageId: '7', publishTime: 't' },
        subscription: 'projects/p/subscriptions/s',
      },
      'pubsub-push',
    );
    assert.deepEqual(opened, {
      ok: true,
      entry: { insertId: 'x' },
      meta: { subscription: 'projects/p/subscriptions/s', messageId: '7', publishTime: 't' },
    });
  });

  it('should accept URL-safe base64 and line breaks', () => {
    const data = b64('{"a":"???>>>"}').replace(/\+/g, '-').replace(/\//g, '_');
    const opened = openMessage(
      { data: `${data.slice(0, 4)}\n${data.slice(4)}`, messageId: '1' },
      'pubsub-message',
    );
    assert.equal(opened.ok, true);
  });

  it('should name the field for bad base64, bad UTF-8, bad JSON and missing data', () => {
    const push = (data: unknown) =>
      openMessage({ message: { data }, subscription: 's' }, 'pubsub-push');
    const cases: Array<[unknown, string]> = [
      ['not*base64', 'invalid_field'],
      ['A', 'invalid_field'],
      [Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'), 'invalid_field'],
      [b64('{oops'), 'invalid_json'],
      ['', 'missing_field'],
      [undefined, 'missing_field'],
      [42, 'invalid_field'],
    ];
    for (const [data, type] of cases) {
      const opened = push(data);
      assert.equal(opened.ok, false, String(data));
      if (!opened.ok) {
        assert.equal(opened.type, type, String(data));
        assert.equal(opened.field, 'message.data');
        assert.match(opened.message, /"message\.data"/);
      }
    }
  });
});
