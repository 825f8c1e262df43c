import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import type { AuditEvent, EpochMs, ProviderId } from '../model/index.ts';
import type { CoverageCount } from '../pipeline/types.ts';
import { openStore } from './open-store.ts';
import { dumpStore } from './testing/dump-store.ts';
import { makeEvent } from './testing/make-event.ts';
import { putBatchTx } from './write-batch.ts';

const T0 = Date.parse('2024-08-01T23:00:00Z');
const HOUR = 3_600_000;

/* Few ids, instances, keys and names, so batches repeat, merge, collide and tie. */
const eventArb: fc.Arbitrary<AuditEvent> = fc
  .record({
    n: fc.nat({ max: 30 }),
    provider: fc.constantFrom<ProviderId>('aws', 'gcp', 'azure'),
    action: fc.constantFrom(
      'instance.stop',
      'instance.deallocate',
      'instance.start',
      'instance.modify',
      'identity.assume',
    ),
    hours: fc.nat({ max: 50 }),
    instances: fc.array(fc.constantFrom('i-1', 'i-2', 'vm3', 'vm4'), { maxLength: 3 }),
    named: fc.boolean(),
    phase: fc.constantFrom('begin', 'accepted', 'single', 'end'),
    correlation: fc.option(fc.constantFrom('c1', 'c2')),
    actorName: fc.constantFrom('alice', 'bob', 'Bob', '0f0e3a5c-1d2b-4c1e-9a8b-0123456789ab'),
    key: fc.nat({ max: 5 }),
  })
  .map((r) =>
    makeEvent({
      id: `${r.provider}:e${r.n}`,
      provider: r.provider,
      action: r.action,
      operation: r.action === 'identity.assume' ? 'AssumeRole' : 'StopInstances',
      // The same id always comes with the same time, as in real logs.
      time: T0 + r.n * 7 * HOUR + (r.n % 3) * 1000,
      phase: r.phase,
      ...(r.correlation !== null ? { correlationId: r.correlation } : {}),
      instances: r.instances.map((uid) =>
        r.named ? { type: 'instance', uid, name: `n-${uid}` } : uid,
      ),
      actor: {
        id: `actor-${r.n % 4}`,
        name: r.actorName,
        chain: [{ type: 'service_principal', id: `app-${r.n % 2}`, via: 'application' }],
        session: { accessKeyId: `ASIA${r.key}` },
      },
      ...(r.action === 'identity.assume'
        ? {
            issued: {
              accessKeyId: `ASIA${r.n % 6}`,
              sessionArn: `arn:s/${r.n % 6}`,
              expiresAt: (T0 + r.hours * HOUR) as EpochMs,
            },
          }
        : {}),
    }),
  );

const coverageArb: fc.Arbitrary<CoverageCount> = fc.record({
  provider: fc.constantFrom<ProviderId>('aws', 'azure'),
  account: fc.constantFrom('a1', 'a2'),
  region: fc.constant('r1'),
  hour: fc.nat({ max: 3 }).map((h) => (T0 + h * HOUR) as EpochMs),
  records: fc.nat({ max: 9 }),
});

const batchArb = fc.record({
  events: fc.array(eventArb, { maxLength: 12 }),
  coverage: fc.array(coverageArb, { maxLength: 4 }),
  records: fc.nat({ max: 50 }),
});

describe('SqliteBatchWriter', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'haltwatch-writer-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The prepared-statement writer replaced the kysely path on SQLite only: the two must
  // leave the same rows and report the same counts, or the engines would drift apart.
  it('should write the same rows and counts as the kysely path for any batches', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 5 }), async (batches) => {
        const fast = await openStore(join(dir, `fast-${++n}.db`));
        const plain = await openStore(join(dir, `plain-${n}.db`));
        try {
          for (const store of [fast, plain])
            await store.beginFile({ hash: 'h', path: 'p', size: 1 });
          for (const batch of batches) {
            const got = await fast.putBatch('h', batch);
            const want = await putBatchTx(plain.db, 'h', batch, 'sqlite');
            assert.deepEqual(got, want);
          }
          assert.equal(await dumpStore(fast), await dumpStore(plain));
        } finally {
          await fast.close();
          await plain.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('should roll a failed batch back whole', async () => {
    const store = await openStore(join(dir, 'rollback.db'));
    try {
      await store.beginFile({ hash: 'h', path: 'p', size: 1 });
      const good = makeEvent({ id: 'aws:ok', time: T0, instances: ['i-1'] });
      // A NOT NULL column left empty fails the insert after other rows were written.
      const bad = {
        ...makeEvent({ id: 'aws:bad', time: T0 + 1, instances: ['i-2'] }),
        operation: null,
      };
      await assert.rejects(
        store.putBatch('h', { events: [good, bad as unknown as AuditEvent], records: 2 }),
      );
      const counts = await store.counts();
      assert.equal(counts.events, 0);
      assert.equal(counts.stops, 0);
      assert.equal((await store.timeline({ instance: 'i-1' })).entries.length, 0);
    } finally {
      await store.close();
    }
  });

  // Stores made before migration 0003 keep their links; the new day column is filled in.
  it('should find links stored before the day-first instance index', async () => {
    const path = join(dir, 'old.db');
    const old = await openStore(path, { migrateTo: '0002_directory' });
    await old.close();
    const event = makeEvent({ id: 'aws:old', time: T0 + 5 * HOUR, instances: ['i-old'] });
    const raw = new BetterSqlite3(path);
    raw
      .prepare(
        'insert into events (id, provider, action, operation, time, json) values (?, ?, ?, ?, ?, ?)',
      )
      .run(event.id, 'aws', event.action, event.operation, event.time, JSON.stringify(event));
    raw
      .prepare('insert into event_instances (event_id, instance_uid, time) values (?, ?, ?)')
      .run(event.id, 'i-old', event.time);
    raw.close();
    const store = await openStore(path);
    try {
      const timeline = await store.timeline({ instance: 'i-old' });
      assert.deepEqual(
        timeline.entries.map((e) => (e.kind === 'event' ? e.event.id : '')),
        ['aws:old'],
      );
      const row = await store.db
        .selectFrom('event_instances')
        .select('day')
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.day), Math.trunc(event.time / 86_400_000));
      const around = await store.timeline({ instance: 'i-old', around: event.time, window: HOUR });
      assert.equal(around.entries.length, 1);
    } finally {
      await store.close();
    }
  });
});
