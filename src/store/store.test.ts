import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { EpochMs } from '../model/index.ts';
import { backends } from './testing/backends.ts';
import { dumpStore } from './testing/dump-store.ts';
import { makeEvent } from './testing/make-event.ts';
import { openStore } from './open-store.ts';
import type { KyselyStore } from './kysely-store.ts';

/*
 * One suite, run against SQLite (a temp file) and a real PostgreSQL server the test starts:
 * both stores must give the same answers through the one query layer.
 */

const T0 = Date.parse('2024-08-01T12:00:00Z');
const at = (minutes: number): number => T0 + minutes * 60_000;
const file = (hash: string) => ({ hash, path: `${hash}.json`, size: 100 });

const ALICE = {
  type: 'user' as const,
  id: 'arn:aws:iam::111111111111:user/alice',
  name: 'alice',
  chain: [],
};
const ROLE_A_SESSION = {
  type: 'assumed_role' as const,
  id: 'arn:aws:sts::111111111111:assumed-role/Deploy/alice-session',
  name: 'Deploy/alice-session',
  chain: [],
  session: {
    name: 'alice-session',
    issuer: 'arn:aws:iam::111111111111:role/Deploy',
    accessKeyId: 'ASIAFIRST',
  },
};
const ROLE_B_SESSION = {
  type: 'assumed_role' as const,
  id: 'arn:aws:sts::222222222222:assumed-role/Ops/chained',
  name: 'Ops/chained',
  chain: [],
  session: {
    name: 'chained',
    issuer: 'arn:aws:iam::222222222222:role/Ops',
    accessKeyId: 'ASIASECOND',
  },
};

/** alice assumes Deploy (ASIAFIRST), Deploy assumes Ops in another account (ASIASECOND), Ops stops i-b. */
function roleChainEvents() {
  return [
    makeEvent({
      id: 'aws:assume-1',
      action: 'identity.assume',
      operation: 'AssumeRole',
      time: at(0),
      actor: ALICE,
      issued: { accessKeyId: 'ASIAFIRST', sessionArn: ROLE_A_SESSION.id, sourceIdentity: 'alice' },
    }),
    makeEvent({
      id: 'aws:assume-2',
      action: 'identity.assume',
      operation: 'AssumeRole',
      time: at(1),
      actor: ROLE_A_SESSION,
      issued: { accessKeyId: 'ASIASECOND', sessionArn: ROLE_B_SESSION.id },
    }),
    makeEvent({
      id: 'aws:stop-b',
      time: at(2),
      actor: ROLE_B_SESSION,
      instances: ['i-b'],
      scope: { account: '222222222222', region: 'us-east-1' },
    }),
    makeEvent({
      id: 'aws:start-b',
      action: 'instance.start',
      operation: 'StartInstances',
      time: at(9),
      actor: ROLE_B_SESSION,
      instances: ['i-b'],
      scope: { account: '222222222222', region: 'us-east-1' },
    }),
    makeEvent({
      id: 'aws:modify-a',
      action: 'instance.modify',
      operation: 'ModifyInstanceAttribute',
      time: at(3),
      actor: ROLE_A_SESSION,
      instances: ['i-a'],
    }),
  ];
}

for (const makeBackend of backends) {
  const backend = makeBackend();
  describe(`store on ${backend.name}`, () => {
    const open: KyselyStore[] = [];
    async function fresh(): Promise<KyselyStore> {
      const store = await openStore(await backend.fresh());
      open.push(store);
      return store;
    }
    before(() => backend.setup());
    after(async () => {
      for (const store of open) await store.close().catch(() => undefined);
      await backend.teardown();
    });

    it('should store a batch once however often it is put', async () => {
      const store = await fresh();
      const events = roleChainEvents();
      assert.equal(await store.beginFile(file('f1')), 'started');
      const first = await store.putBatch('f1', { events, records: 10 });
      assert.deepEqual(first, { eventsNew: 3, duplicates: 0, credentialsNew: 2, stopsTouched: 1 });
      const again = await store.putBatch('f1', { events: [...events, events[2]!], records: 0 });
      assert.deepEqual(again, { eventsNew: 0, duplicates: 6, credentialsNew: 0, stopsTouched: 0 });
      const counts = await store.counts();
      // Role-issuing events are kept as two credential rows, not as events.
      assert.equal(counts.events, 3);
      assert.equal(counts.credentials, 2);
      assert.equal(counts.stops, 1);
    });

    it('should merge the phases of one operation that arrive in different files', async () => {
      const store = await fresh();
      const vm =
        '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/prod-db-1';
      const common = {
        provider: 'azure' as const,
        action: 'instance.deallocate' as const,
        operation: 'Microsoft.Compute/virtualMachines/deallocate/action',
        correlationId: 'corr-1',
        instances: [{ type: 'instance' as const, uid: vm, name: 'prod-db-1' }],
        scope: { account: 's1', resourceGroup: 'rg', region: 'westeurope' },
      };
      await store.beginFile(file('a'));
      await store.putBatch('a', {
        events: [
          makeEvent({
            ...common,
            id: 'azure:e1',
            time: at(0),
            phase: 'begin',
            outcome: { status: 'in_progress' },
            actor: { type: 'user', id: 'oid-1', name: 'bob@example.com' },
          }),
        ],
      });
      await store.completeFile('a');
      await store.beginFile(file('b'));
      await store.putBatch('b', {
        events: [
          makeEvent({
            ...common,
            id: 'azure:e3',
            time: at(2),
            phase: 'end',
            outcome: { status: 'success' },
            actor: { type: 'unknown', chain: [], gap: 'caller' },
          }),
        ],
      });
      const [answer] = await store.whoStopped('prod-db-1');
      assert.ok(answer);
      assert.equal(answer.stop.outcome.status, 'success');
      assert.deepEqual(answer.stop.eventIds, ['azure:e1', 'azure:e3']);
      assert.equal(answer.stop.endTime, at(2));
      assert.equal(answer.resolved.origin.name, 'bob@example.com');
      assert.equal((await store.counts()).stops, 1);
    });

    it('should split a call that stops several instances into one stop each', async () => {
      const store = await fresh();
      await store.beginFile(file('m'));
      await store.putBatch('m', {
        events: [makeEvent({ id: 'aws:multi', time: at(0), instances: ['i-1', 'i-2', 'i-3'] })],
      });
      const stops = await store.queryStops({});
      assert.deepEqual(stops.map((s) => s.stop.instance.uid).sort(), ['i-1', 'i-2', 'i-3']);
      assert.equal((await store.timeline({ instance: 'i-2' })).entries.length, 1);
    });

    it('should name the user behind a chain of assumed roles across accounts', async () => {
      const store = await fresh();
      // Issuing events in a later file than the stop: links work across files.
      const [assume1, assume2, ...rest] = roleChainEvents();
      await store.beginFile(file('stops'));
      await store.putBatch('stops', { events: rest });
      await store.beginFile(file('sts'));
      await store.putBatch('sts', { events: [assume2!, assume1!] });
      const [answer] = await store.whoStopped('i-b');
      assert.ok(answer);
      assert.equal(answer.resolved.origin.id, ALICE.id);
      assert.equal(answer.resolved.origin.name, 'alice');
      assert.equal(answer.resolved.sourceIdentity, 'alice');
      assert.deepEqual(
        answer.resolved.hops.map((h) => [h.id, h.via]),
        [
          [ROLE_A_SESSION.id, 'role_chaining'],
          [ALICE.id, 'assume_role'],
        ],
      );
      assert.equal(answer.resolved.missing, undefined);
    });

    it('should say which hop is missing when the issuing event was not ingested', async () => {
      const store = await fresh();
      const [, assume2, ...rest] = roleChainEvents();
      await store.beginFile(file('x'));
      await store.putBatch('x', { events: [assume2!, ...rest] });
      const [answer] = await store.whoStopped('i-b');
      assert.ok(answer);
      assert.match(answer.resolved.missing ?? '', /access key "ASIAFIRST"/);
      assert.equal(answer.resolved.origin.id, ROLE_A_SESSION.id);
    });

    it('should name the Identity Center user of an AWSReservedSSO session and follow her across clouds', async () => {
      const store = await fresh();
      const sso = {
        type: 'assumed_role' as const,
        id: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123abcd/carol@example.com',
        name: 'AWSReservedSSO_Admin_0123abcd/carol@example.com',
        chain: [],
        session: {
          name: 'carol@example.com',
          issuer:
            'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd',
          accessKeyId: 'ASIASSO',
        },
      };
      await store.beginFile(file('s'));
      await store.putBatch('s', {
        events: [makeEvent({ id: 'aws:sso-stop', time: at(5), actor: sso, instances: ['i-sso'] })],
      });
      const [answer] = await store.whoStopped('i-sso');
      assert.equal(answer?.resolved.origin.name, 'carol@example.com');
      assert.equal(answer?.resolved.hops.at(-1)?.via, 'sso');
      assert.equal(answer?.resolved.missing, undefined);
      // The same person impersonating a service account in Google Cloud an hour later.
      await store.putBatch('s', {
        events: [
          makeEvent({
            id: 'gcp:carol-op',
            provider: 'gcp',
            operation: 'v1.compute.instances.stop',
            time: at(65),
            instances: ['4242'],
            scope: { account: 'p2' },
            actor: {
              type: 'service_account',
              id: 'ops@p2.iam.gserviceaccount.com',
              chain: [{ type: 'user', id: 'carol@example.com', via: 'impersonation' }],
            },
          }),
        ],
      });
      // Her timeline spans both clouds, found through each record's principal.
      const timeline = await store.timeline({ actor: 'carol@example.com' });
      assert.deepEqual(
        timeline.entries.map((e) => e.kind === 'event' && e.event.id),
        ['aws:sso-stop', 'gcp:carol-op'],
      );
      const windowed = await store.timeline({
        actor: 'carol@example.com',
        around: at(60) as EpochMs,
        window: 10 * 60_000,
      });
      assert.deepEqual(
        windowed.entries.map((e) => e.kind === 'event' && e.event.id),
        ['gcp:carol-op'],
      );
    });

    it('should make the original caller of a GCP delegation chain the actor of record', async () => {
      const store = await fresh();
      const actor = {
        type: 'service_account' as const,
        id: 'deployer@p1.iam.gserviceaccount.com',
        chain: [
          {
            type: 'service_account' as const,
            id: 'middle@p1.iam.gserviceaccount.com',
            via: 'impersonation' as const,
          },
          { type: 'user' as const, id: 'dave@example.com', via: 'impersonation' as const },
        ],
      };
      await store.beginFile(file('g'));
      await store.putBatch('g', {
        events: [
          makeEvent({
            id: 'gcp:op1:first',
            provider: 'gcp',
            operation: 'v1.compute.instances.stop',
            time: at(1),
            actor,
            instances: ['1234567890'],
            scope: { account: 'p1', zone: 'us-central1-a' },
          }),
        ],
      });
      const [answer] = await store.whoStopped('1234567890');
      assert.equal(answer?.resolved.origin.id, 'dave@example.com');
      assert.equal(answer?.resolved.hops.length, 2);
      assert.equal((await store.queryStops({ actor: 'dave@example.com' })).length, 1);
    });

    it('should name an Azure GUID caller from claims, and prefer a directory export', async () => {
      const store = await fresh();
      const guid = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
      await store.beginFile(file('z'));
      await store.putBatch('z', {
        events: [
          makeEvent({
            id: 'azure:stop',
            provider: 'azure',
            action: 'instance.power_off',
            operation: 'Microsoft.Compute/virtualMachines/powerOff/action',
            time: at(0),
            actor: { type: 'service_principal', id: guid, name: guid },
            instances: ['/subscriptions/s/vm/app-1'],
          }),
        ],
      });
      let [answer] = await store.whoStopped('/subscriptions/s/vm/app-1');
      assert.match(answer?.resolved.missing ?? '', /No display name for principal/);
      await store.putBatch('z', {
        events: [
          makeEvent({
            id: 'azure:other',
            provider: 'azure',
            action: 'instance.start',
            time: at(30),
            actor: { type: 'service_principal', id: guid, name: 'backup-automation' },
            instances: ['/subscriptions/s/vm/app-2'],
          }),
        ],
      });
      [answer] = await store.whoStopped('/subscriptions/s/vm/app-1');
      assert.equal(answer?.resolved.origin.name, 'backup-automation');
      assert.equal(answer?.resolved.missing, undefined);
      assert.equal(await store.putDirectory([{ id: guid, name: 'Nightly Backup App' }]), 1);
      [answer] = await store.whoStopped('/subscriptions/s/vm/app-1');
      assert.equal(answer?.resolved.origin.name, 'Nightly Backup App');
      // The display name finds the principal's events.
      assert.equal((await store.timeline({ actor: 'Nightly Backup App' })).entries.length, 2);
    });

    it('should filter stops by time, provider, account, instance, actor and outcome', async () => {
      const store = await fresh();
      await store.beginFile(file('q'));
      await store.putBatch('q', {
        events: [
          ...roleChainEvents(),
          makeEvent({
            id: 'aws:fail',
            time: at(20),
            instances: ['i-a'],
            outcome: { status: 'failure', code: 'Client.UnauthorizedOperation' },
          }),
          makeEvent({
            id: 'gcp:x',
            provider: 'gcp',
            time: at(30),
            instances: ['99'],
            actor: { type: 'user', id: 'erin@example.com', name: 'erin@example.com' },
            scope: { account: 'p9' },
          }),
          makeEvent({
            id: 'gcp:q',
            provider: 'gcp',
            time: at(40),
            instances: ['98'],
            actor: { type: 'user', id: 'o"brien\\ops@example.com', name: 'o"brien\\ops' },
            scope: { account: 'p9' },
          }),
        ],
      });
      const ids = async (filter: Parameters<KyselyStore['queryStops']>[0]) =>
        (await store.queryStops(filter)).map((a) => a.stop.eventIds[0]);
      assert.deepEqual(await ids({}), ['aws:stop-b', 'aws:fail', 'gcp:x', 'gcp:q']);
      assert.deepEqual(await ids({ since: at(10) as EpochMs }), ['aws:fail', 'gcp:x', 'gcp:q']);
      assert.deepEqual(await ids({ until: at(20) as EpochMs }), ['aws:stop-b', 'aws:fail']);
      assert.deepEqual(await ids({ provider: 'gcp' }), ['gcp:x', 'gcp:q']);
      assert.deepEqual(await ids({ account: '222222222222' }), ['aws:stop-b']);
      assert.deepEqual(await ids({ instance: 'i-a' }), ['aws:fail']);
      assert.deepEqual(await ids({ outcome: 'failure' }), ['aws:fail']);
      // alice acted directly (aws:fail) and, two role hops away, stopped i-b.
      assert.deepEqual(await ids({ actor: 'alice' }), ['aws:stop-b', 'aws:fail']);
      assert.deepEqual(await ids({ actor: 'nobody' }), []);
      // As scan's --actor: whole words of a name in any case, `*` for any characters, and
      // SQL's wildcards as plain text.
      assert.deepEqual(await ids({ actor: 'ALICE' }), ['aws:stop-b', 'aws:fail']);
      assert.deepEqual(await ids({ actor: 'ali' }), []);
      assert.deepEqual(await ids({ actor: 'ali*' }), ['aws:stop-b', 'aws:fail']);
      assert.deepEqual(await ids({ actor: 'erin' }), ['gcp:x']);
      assert.deepEqual(await ids({ actor: '%' }), []);
      assert.deepEqual(await ids({ actor: 'e_in' }), []);
      assert.deepEqual(await ids({ actor: 'ali*', limit: 1 }), ['aws:stop-b']);
      // A name with a quote or a backslash is found although its JSON text escapes them.
      assert.deepEqual(await ids({ actor: 'o"brien\\ops' }), ['gcp:q']);
      assert.deepEqual(await ids({ limit: 1 }), ['aws:stop-b']);
    });

    it('should give an instance timeline in order, with raw pointers, within a window', async () => {
      const store = await fresh();
      await store.beginFile(file('t'));
      await store.putBatch('t', {
        events: [
          makeEvent({ id: 'aws:s', time: at(0), instances: ['i-t'], path: 'a.json', index: 4 }),
          makeEvent({ id: 'aws:m', action: 'instance.modify', time: at(1), instances: ['i-t'] }),
          makeEvent({ id: 'aws:r', action: 'instance.start', time: at(-1), instances: ['i-t'] }),
          makeEvent({ id: 'aws:far', action: 'instance.start', time: at(300), instances: ['i-t'] }),
          makeEvent({ id: 'aws:other', time: at(0), instances: ['i-other'] }),
        ],
      });
      const all = await store.timeline({ instance: 'i-t' });
      assert.deepEqual(
        all.entries.map((e) => e.kind === 'event' && e.event.id),
        ['aws:r', 'aws:s', 'aws:m', 'aws:far'],
      );
      const first = all.entries[1];
      assert.ok(first?.kind === 'event');
      assert.deepEqual(first.event.raw, { path: 'a.json', index: 4 });
      const near = await store.timeline({
        instance: 'i-t',
        around: at(0) as EpochMs,
        window: 120_000,
      });
      assert.equal(near.entries.length, 3);
    });

    it('should follow an identity across accounts through the keys it was issued', async () => {
      const store = await fresh();
      await store.beginFile(file('i'));
      await store.putBatch('i', { events: roleChainEvents() });
      const timeline = await store.timeline({ actor: 'alice' });
      assert.deepEqual(timeline.identity?.accessKeys, ['ASIAFIRST', 'ASIASECOND']);
      assert.deepEqual(
        timeline.entries.map((e) =>
          e.kind === 'event' ? e.event.id : `cred:${e.credential.accessKeyId}`,
        ),
        ['cred:ASIAFIRST', 'cred:ASIASECOND', 'aws:stop-b', 'aws:modify-a', 'aws:start-b'],
      );
    });

    it('should count coverage once when an interrupted file is ingested again', async () => {
      const store = await fresh();
      const coverage = [
        { provider: 'aws' as const, account: '1', region: 'r', hour: T0 as EpochMs, records: 5 },
      ];
      await store.beginFile(file('c'));
      await store.putBatch('c', { events: [], coverage, records: 5 });
      // Killed here; the next run starts the file again.
      assert.equal(await store.isFileDone('c'), false);
      assert.equal(await store.beginFile(file('c')), 'started');
      await store.putBatch('c', { events: [], coverage: [...coverage, ...coverage], records: 10 });
      await store.completeFile('c');
      assert.equal(await store.isFileDone('c'), true);
      assert.equal(await store.beginFile(file('c')), 'done');
      assert.equal((await store.counts()).coverageRecords, 10);
    });

    it('should end with the same rows whatever the batching, order and repetition', async () => {
      // Overlapping exports and re-runs arrive in any order and any split.
      const events = [
        ...roleChainEvents(),
        makeEvent({
          id: 'azure:p1',
          provider: 'azure',
          action: 'instance.deallocate',
          correlationId: 'c9',
          phase: 'begin',
          outcome: { status: 'in_progress' },
          time: at(0),
          instances: ['vm9'],
        }),
        makeEvent({
          id: 'azure:p2',
          provider: 'azure',
          action: 'instance.deallocate',
          correlationId: 'c9',
          phase: 'accepted',
          outcome: { status: 'accepted' },
          time: at(1),
          instances: ['vm9'],
        }),
        makeEvent({
          id: 'azure:p3',
          provider: 'azure',
          action: 'instance.deallocate',
          correlationId: 'c9',
          phase: 'end',
          time: at(2),
          instances: ['vm9'],
        }),
        makeEvent({ id: 'aws:multi', time: at(4), instances: ['i-1', 'i-2'] }),
      ];
      const reference = await fresh();
      await reference.beginFile(file('all'));
      await reference.putBatch('all', { events });
      const expected = JSON.stringify(
        (await reference.queryStops({})).map((a) => [a.stop, a.resolved]),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.constantFrom(...events), { maxLength: 6 }), { maxLength: 5 }),
          async (batches) => {
            const store = await fresh();
            await store.beginFile(file('all'));
            for (const batch of [...batches, events])
              await store.putBatch('all', { events: batch });
            const got = JSON.stringify(
              (await store.queryStops({})).map((a) => [a.stop, a.resolved]),
            );
            await store.close();
            open.splice(open.indexOf(store), 1);
            assert.equal(got, expected);
          },
        ),
        { numRuns: backend.name === 'postgres' ? 8 : 25 },
      );
    });

    it('should upgrade a store made at an older schema version', async () => {
      const url = await backend.fresh();
      const old = await openStore(url, { migrateTo: '0001_initial' });
      await old.beginFile(file('o'));
      await assert.rejects(old.putDirectory([{ id: 'x', name: 'y' }]));
      await old.close();
      const upgraded = await openStore(url);
      open.push(upgraded);
      assert.equal(await upgraded.beginFile(file('o')), 'started');
      assert.equal(await upgraded.putDirectory([{ id: 'x', name: 'y' }]), 1);
      assert.equal(await upgraded.principalName('x'), 'y');
    });

    it('should keep a dump identical after a second ingest of the same files', async () => {
      const store = await fresh();
      const dumps: string[] = [];
      for (const round of [1, 2]) {
        for (const [hash, events] of [
          ['h1', roleChainEvents()],
          ['h2', roleChainEvents().slice(2)],
        ] as const) {
          if ((await store.beginFile(file(hash))) === 'done') continue;
          await store.putBatch(hash, {
            events,
            records: events.length,
            coverage: [
              {
                provider: 'aws',
                account: '1',
                region: 'r',
                hour: T0 as EpochMs,
                records: events.length,
              },
            ],
          });
          await store.completeFile(hash);
        }
        dumps[round - 1] = await dumpStore(store);
      }
      assert.equal(dumps[1], dumps[0]);
      assert.match(dumps[0]!, /"status":"done"/);
    });
  });
}
