import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InstanceStop } from '../model/index.ts';
import { resolveActor } from '../context/identity-chain.ts';
import { MemoryIdentityLookup } from '../context/memory-identity.ts';
import { scanPaths } from '../pipeline/scan.ts';
import type { ScanResult } from '../pipeline/types.ts';
import type { DemoManifest, DemoStop } from './demo-manifest.ts';
import { DEMO_LOGS, generateDemo } from './generate-demo.ts';

/*
 * End to end: the generator knows every stop it wrote, so scanning its month must find
 * exactly those, with the same instance, time, actor and outcome: nothing more, nothing
 * less. This is the test that ties the three readers and the pipeline to the demo.
 */
function key(cloud: string, instance: string, time: number): string {
  return `${cloud} ${instance.toLowerCase()} ${time}`;
}

function expectedKey(stop: DemoStop): string {
  return key(stop.cloud, stop.instance, Date.parse(stop.time));
}

function foundKey(stop: InstanceStop): string {
  // CloudTrail has second precision; the others keep milliseconds.
  return key(stop.provider, stop.instance.uid, stop.time);
}

describe('scanning the demo month', () => {
  let dir: string;
  let manifest: DemoManifest;
  let result: ScanResult;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'haltwatch-demo-scan-'));
    manifest = await generateDemo(dir, { seed: 7, scale: 0.05 });
    result = await scanPaths([join(dir, DEMO_LOGS)], { include: 'stops', workers: 0 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should read every file without a skipped record', () => {
    assert.equal(result.stats.filesFailed, 0);
    assert.deepEqual(result.stats.issueCounts, {});
    const written = manifest.records.aws + manifest.records.gcp + manifest.records.azure;
    // Digest files count as one document each and are recognised, not records.
    assert.ok(
      result.stats.records >= written && result.stats.records <= written + 2,
      `${result.stats.records} vs ${written}`,
    );
  });

  it('should name who opened a role session where the manifest says, reading the month with --resolve', async () => {
    const resolving = await scanPaths([join(dir, DEMO_LOGS)], { include: 'identity', workers: 0 });
    const lookup = new MemoryIdentityLookup();
    for (const link of resolving.links) lookup.addLink(link);
    const origins = new Map(
      manifest.stops.filter((s) => s.origin).map((s) => [expectedKey(s), s.origin!]),
    );
    assert.ok(origins.size >= 10, `${origins.size} stops with a known origin`);
    let checked = 0;
    for (const stop of resolving.stops) {
      const origin = origins.get(foundKey(stop));
      if (origin === undefined) continue;
      const resolved = await resolveActor(stop.provider, stop.actor, lookup);
      assert.equal(resolved.origin.name, origin);
      assert.equal(resolved.missing, undefined);
      checked++;
    }
    assert.equal(checked, origins.size);
  });

  it('should find exactly the stops the manifest lists', () => {
    const expected = manifest.stops.map(expectedKey).sort();
    const found = result.stops.map(foundKey).sort();
    assert.deepEqual(found, expected);
  });

  it('should agree with the manifest on action, actor, source and outcome', () => {
    const byKey = new Map(result.stops.map((s) => [foundKey(s), s]));
    for (const truth of manifest.stops) {
      const stop = byKey.get(expectedKey(truth))!;
      const where = `${truth.cloud} ${truth.story} ${truth.instanceName}`;
      assert.equal(stop.action, truth.action, where);
      assert.equal(stop.outcome.status, truth.outcome, where);
      assert.equal(stop.outcome.code, truth.errorCode, where);
      assert.equal(stop.actor.type, truth.actor.type, where);
      assert.equal(stop.actor.id, truth.actor.id, where);
      const chain = stop.actor.chain.map((hop) => hop.id);
      for (const hop of truth.actor.chain)
        assert.ok(chain.includes(hop), `${where}: chain lacks ${hop}`);
      assert.equal(stop.source.ip, truth.sourceIp, where);
      assert.equal(stop.scope.account, truth.scope, where);
    }
  });

  it('should find the same stops with worker threads', async () => {
    const threaded = await scanPaths([join(dir, DEMO_LOGS)], { include: 'stops', workers: 2 });
    assert.deepEqual(threaded.stops.map(foundKey).sort(), result.stops.map(foundKey).sort());
  });
});

describe('scanning the demo month with related events', () => {
  let dir: string;
  let manifest: DemoManifest;
  let result: ScanResult;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'haltwatch-demo-all-'));
    manifest = await generateDemo(dir, { seed: 11, scale: 0.05 });
    result = await scanPaths([join(dir, DEMO_LOGS)], { include: 'all', workers: 0 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should show the user-data swap and restart right after the suspicious stop', () => {
    const stop = manifest.stops.find((s) => s.story === 'suspicious-stop-userdata-start')!;
    const at = Date.parse(stop.time);
    const after = result.events.filter(
      (e) => e.targets.some((t) => t.uid === stop.instance) && e.time > at && e.time - at <= 60_000,
    );
    assert.deepEqual(
      [...after].sort((a, b) => a.time - b.time).map((e) => [e.action, e.operation]),
      [
        ['instance.modify', 'ModifyInstanceAttribute'],
        ['instance.start', 'StartInstances'],
      ],
    );
  });

  it('should read autoscaling terminations as terminations, never as stops', () => {
    const terminations = result.events.filter((e) => e.action === 'instance.terminate');
    assert.ok(terminations.length >= 9, `${terminations.length} terminations`);
    assert.ok(terminations.every((e) => e.actor.invokedBy === 'autoscaling.amazonaws.com'));
    assert.equal(result.stops.length, manifest.stops.length);
  });
});
