import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ingestPaths } from './ingest-paths.ts';
import { openStore } from './open-store.ts';
import { writeCloudTrailFiles } from './bench-ingest.ts';

/*
 * The benchmark's CloudTrail files, read by the real scanner and AWS reader: a stop made by
 * a role session must be traced back to the IAM user whose AssumeRole issued its key, and
 * the role-issuing records must be kept as credential links, not events.
 */
describe('benchmark CloudTrail files through the real scanner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-bi-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should name the IAM user behind the role session that stopped an instance', async () => {
    writeCloudTrailFiles(dir, 400, 100);
    const store = await openStore(join(dir, 'h.db'));
    try {
      const summary = await ingestPaths(store, [dir]);
      assert.equal(summary.records, 400);
      assert.equal(summary.credentialsStored, 40);
      assert.equal(summary.eventsStored, 120);
      // Record 0 is a stop by the session whose key record 1 issued, to user u1.
      const stops = await store.queryStops({});
      assert.equal(stops.length, 40);
      const linked = stops.filter((a) => a.resolved.missing === undefined);
      // Each block of ten starts with a stop that comes before its AssumeRole is read;
      // the link is found anyway because resolution reads the whole store.
      assert.equal(linked.length, 40);
      for (const { stop, resolved } of stops) {
        assert.equal(stop.actor.type, 'assumed_role');
        assert.match(resolved.origin.id ?? '', /^arn:aws:iam::111122223333:user\/u\d+$/);
        assert.equal(resolved.hops.at(-1)?.via, 'assume_role');
      }
      const byUser = await store.queryStops({ actor: 'u1' });
      assert.ok(byUser.length > 0);
      assert.ok(byUser.every((a) => a.resolved.origin.name === 'u1'));
    } finally {
      await store.close();
    }
  });
});
