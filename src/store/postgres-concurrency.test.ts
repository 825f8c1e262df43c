import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from './open-store.ts';
import { makeEvent } from './testing/make-event.ts';
import { postgresBackend } from './testing/backends.ts';

/*
 * A shared PostgreSQL store can take two ingests at once (two analysts, two exports). The
 * phases of one operation arriving through both must still merge into one whole stop.
 * (SQLite admits one writer at a time by design, so this is PostgreSQL's test.)
 */
describe('two ingests into one PostgreSQL store at once', () => {
  const backend = postgresBackend();
  before(() => backend.setup());
  after(() => backend.teardown());

  it('should merge the phases each of them brings into whole stops', async () => {
    const url = await backend.fresh();
    const [a, b] = await Promise.all([openStore(url), openStore(url)]);
    try {
      const phase = (n: number, p: 'begin' | 'end', store: string) =>
        makeEvent({
          id: `azure:${n}:${p}`,
          provider: 'azure',
          action: 'instance.deallocate',
          phase: p,
          outcome: { status: p === 'end' ? 'success' : 'in_progress' },
          correlationId: `corr-${n}`,
          time: 1_700_000_000_000 + n * 1000 + (p === 'end' ? 500 : 0),
          instances: [`vm-${n}`],
          // Distinct actors: no shared row (activity, actors) happens to serialize the two.
          actor: { type: 'user', id: `${store}-user-${n}`, name: `${store}-${n}@example.com` },
          path: store,
        });
      await a.beginFile({ hash: 'fa', path: 'a', size: 1 });
      await b.beginFile({ hash: 'fb', path: 'b', size: 1 });
      // Many small interleaved batches so the two writers really overlap.
      const writes: Promise<unknown>[] = [];
      for (let n = 0; n < 60; n++) {
        writes.push(a.putBatch('fa', { events: [phase(n, 'begin', 'a')] }));
        writes.push(b.putBatch('fb', { events: [phase(n, 'end', 'b')] }));
      }
      await Promise.all(writes);
      const stops = await a.queryStops({});
      assert.equal(stops.length, 60);
      for (const { stop } of stops) {
        assert.equal(stop.eventIds.length, 2, stop.id);
        assert.equal(stop.outcome.status, 'success');
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
