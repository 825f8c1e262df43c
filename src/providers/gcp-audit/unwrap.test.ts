import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unwrap } from './unwrap.ts';

const entry = {
  insertId: 'a',
  timestamp: '2024-01-01T00:00:00Z',
  protoPayload: { methodName: 'm' },
};

describe('unwrap', () => {
  it('should return a bare LogEntry as one record', () => {
    assert.deepEqual(unwrap(entry, {}), {
      kind: 'records',
      shape: 'gcp-logentry',
      records: [entry],
    });
  });

  it('should name an entry the framer split out of entries a page record', () => {
    assert.equal(unwrap(entry, { container: 'entries' })?.shape, 'gcp-entries-page');
    // Even when it is no LogEntry: normalize then reports it as a wrong shape.
    const odd = { insertId: 'zz' };
    assert.deepEqual(unwrap(odd, { container: 'entries' }), {
      kind: 'records',
      shape: 'gcp-entries-page',
      records: [odd],
    });
  });

  it('should return the elements of a gcloud array and of a page', () => {
    assert.deepEqual(unwrap([entry, entry], {}), {
      kind: 'records',
      shape: 'gcp-logentry-array',
      records: [entry, entry],
    });
    assert.deepEqual(unwrap({ entries: [entry], nextPageToken: 't' }, {}), {
      kind: 'records',
      shape: 'gcp-entries-page',
      records: [entry],
    });
  });

  it('should hand a page whose entries is no array to normalize, which reports it', () => {
    const page = { entries: { insertId: 'a' } };
    assert.deepEqual(unwrap(page, {}), {
      kind: 'records',
      shape: 'gcp-entries-page',
      records: [page],
    });
  });

  it('should ignore empty pages and refuse what is not Google Cloud', () => {
    assert.equal(unwrap({}, {})?.kind, 'ignored');
    assert.equal(unwrap({ nextPageToken: 't' }, {})?.kind, 'ignored');
    for (const doc of [
      { Records: [] },
      { records: [] },
      { this: 'is invalid' },
      [1, 2],
      [],
      'x',
      3,
      null,
    ]) {
      assert.equal(unwrap(doc, {}), undefined, JSON.stringify(doc));
    }
  });

  it('should keep Pub/Sub envelopes whole so that normalize decodes them', () => {
    const push = { message: { data: 'e30=', messageId: '1' }, subscription: 's' };
    assert.deepEqual(unwrap(push, {}), { kind: 'records', shape: 'pubsub-push', records: [push] });
    const pulled = { ackId: 'x', message: { data: 'e30=' } };
    assert.deepEqual(unwrap({ receivedMessages: [pulled] }, {}), {
      kind: 'records',
      shape: 'pubsub-pull',
      records: [pulled],
    });
    assert.deepEqual(unwrap(pulled, {}), {
      kind: 'records',
      shape: 'pubsub-pull',
      records: [pulled],
    });
  });
});
