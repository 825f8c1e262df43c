import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { corpusPath } from '../../test/corpus.ts';
import { ingestPaths } from './ingest-paths.ts';
import { openStore } from './open-store.ts';
import { backends } from './testing/backends.ts';
import { dumpStore } from './testing/dump-store.ts';
import type { KyselyStore } from './kysely-store.ts';

/*
 * Real published events, read in place through the real scanner and providers, into both
 * engines: the facts the corpus README lists must come back out of the store.
 */
const AWS = corpusPath('aws/');
const GCP = corpusPath('gcp/');

for (const makeBackend of backends) {
  const backend = makeBackend();
  describe(`ingesting the corpus on ${backend.name}`, () => {
    let store: KyselyStore;
    before(async () => {
      await backend.setup();
      store = await openStore(await backend.fresh());
    });
    after(async () => {
      await store.close();
      await backend.teardown();
    });

    it('should store the corpus once and skip every file the second time', async () => {
      const first = await ingestPaths(store, [AWS, GCP]);
      assert.ok(first.filesNew > 20, `${first.filesNew} files`);
      assert.ok(first.eventsStored > 20 && first.credentialsStored > 5, JSON.stringify(first));
      // Coverage: every record read is counted once, noise included.
      const counted = (await store.counts()).coverageRecords;
      assert.equal(counted, first.records);
      const dump = await dumpStore(store);
      const second = await ingestPaths(store, [AWS, GCP]);
      assert.equal(second.filesNew, 0);
      assert.equal(second.filesSkipped, first.filesNew + first.filesSkipped);
      assert.equal(await dumpStore(store), dump);
      assert.equal((await store.counts()).coverageRecords, counted);
    });

    it('should answer who stopped the stratus instance, then show stop, user-data change and start', async () => {
      const [answer] = await store.whoStopped('i-DDd6c7B0e18F0E35f');
      assert.ok(answer);
      assert.equal(answer.resolved.origin.name, 'christophe');
      assert.equal(answer.stop.outcome.status, 'success');
      assert.equal(answer.stop.scope.account, '309303190113');
      assert.equal(answer.stop.source.ip, '251.228.255.218');
      assert.equal(answer.stop.time, Date.parse('2024-08-01T12:03:30Z'));
      const timeline = await store.timeline({ instance: 'i-DDd6c7B0e18F0E35f' });
      const ops = timeline.entries.map((e) => (e.kind === 'event' ? e.event.operation : e.kind));
      assert.deepEqual(ops, ['StopInstances', 'ModifyInstanceAttribute', 'StartInstances']);
      const last = timeline.entries.at(-1)!;
      assert.equal(last.time - timeline.entries[0]!.time, 49_000);
    });

    it('should keep the failed attempt and the plaso stop with their outcomes', async () => {
      const failed = await store.queryStops({ outcome: 'failure', provider: 'aws' });
      assert.ok(
        failed.some(
          (a) =>
            a.stop.instance.uid === 'TrailDiscoverInstanceID' &&
            a.stop.outcome.code === 'Client.InvalidInstanceID.Malformed',
        ),
      );
      const [plaso] = await store.whoStopped('i-01234567890123456');
      assert.equal(plaso?.stop.time, Date.parse('2022-02-07T22:23:03Z'));
      assert.equal(plaso?.resolved.origin.name, 'fakeusername');
    });

    it('should report the GCP stop with an empty authenticationInfo as a missing actor', async () => {
      const answers = await store.whoStopped('2162224123123123213', { all: true });
      const api = answers.find((a) => a.stop.time === Date.parse('2020-05-04T08:49:27.470Z'));
      assert.ok(api, 'the v1/beta stop of operation-1588582167320 is stored');
      assert.ok(api.resolved.missing);
      // v1 and beta copies of one operation are one stop.
      assert.equal(answers.filter((a) => a.stop.time === api.stop.time).length, 1);
    });

    it('should follow christophe across the accounts his role sessions reached', async () => {
      const timeline = await store.timeline({ actor: 'christophe' });
      const accounts = new Set(
        timeline.entries.flatMap((e) =>
          e.kind === 'event' && e.event.scope.account ? [e.event.scope.account] : [],
        ),
      );
      assert.ok(accounts.size >= 3, [...accounts].join(','));
      assert.ok(timeline.entries.some((e) => e.kind === 'credential'));
      assert.ok((timeline.identity?.accessKeys.length ?? 0) >= 2);
    });
  });
}
