import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusPath } from '../../../test/corpus.ts';
import { assembleStops, isoTime, type AuditEvent } from '../../model/index.ts';
import { EMPTY_AUTHENTICATION_GAP, readActor } from './actor.ts';
import { normalize } from './normalize.ts';
import { readPhase } from './operation-phase.ts';
import { authenticationInfoSchema } from './raw-schema.ts';
import { readDocuments, scanTestFile } from './_test-read.ts';
import { unwrap } from './unwrap.ts';

/*
 * The real Google Cloud events in ../shared/corpus/gcp/, read in place. The facts asserted
 * here are the ones the corpus README lists as what a correct reading must find.
 */
const gcpDir = corpusPath('gcp/');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const iap = scanTestFile(corpusPath('gcp/iap-desktop/entries.jsonl'));
const plasoPath = corpusPath('gcp/plaso/gcp_logging.jsonl');
const plaso = scanTestFile(plasoPath);

function byInstance(events: readonly AuditEvent[], uid: string): AuditEvent[] {
  return events.filter((e) => e.targets.some((t) => t.uid === uid));
}

describe('gcp-audit on the shared corpus', () => {
  it('should read every file under corpus/gcp without a crash or an internal error', () => {
    const files = filesUnder(gcpDir);
    assert.ok(files.length >= 8, `expected the corpus files, found ${files.length}`);
    for (const file of files) {
      if (file.endsWith('.tsv')) {
        // Provenance table, not JSON: every line must be refused, not misread.
        for (const line of readFileSync(file, 'utf8').split('\n'))
          assert.equal(unwrap(line, {}), undefined);
        continue;
      }
      const scan = scanTestFile(file);
      assert.ok(scan.shapes.length > 0, file);
      for (const issue of scan.issues) assert.doesNotMatch(issue.message, /internal error/, file);
      for (const event of scan.events) assert.match(event.id, /^gcp:/);
    }
  });

  it('should merge the v1 and beta first entries of one stop into one stop with no known actor', () => {
    const stops = assembleStops(iap.events).filter(
      (s) => s.cause === 'api_call' && s.action === 'instance.stop',
    );
    assert.equal(stops.length, 1);
    const stop = stops[0]!;
    assert.equal(stop.instance.uid, '2162224123123123213');
    assert.equal(stop.instance.name, 'instance-1');
    assert.equal(stop.correlationId, 'operation-1588582167320-5a4ce9bc79851-98bb5945-b9e2b31d');
    assert.equal(isoTime(stop.time), '2020-05-04T08:49:27.470Z');
    assert.deepEqual(stop.scope, {
      account: 'project-1',
      region: 'us-central1',
      zone: 'us-central1-a',
    });
    assert.equal(stop.actor.type, 'unknown');
    assert.equal(stop.actor.gap, EMPTY_AUTHENTICATION_GAP);
    assert.equal(stop.outcome.status, 'in_progress');
    // Both copies carry the same insertId, so they are one record read twice.
    assert.deepEqual(stop.eventIds, ['gcp:-gwwofzdc39e']);
    assert.deepEqual(
      iap.events
        .filter((e) => e.correlationId === stop.correlationId)
        .map((e) => [e.operation, e.phase]),
      [
        ['v1.compute.instances.stop', 'begin'],
        ['beta.compute.instances.stop', 'begin'],
      ],
    );
  });

  it('should merge the v1, beta and alpha suspend entries into one stop', () => {
    const suspends = assembleStops(iap.events).filter((s) => s.action === 'instance.suspend');
    assert.equal(suspends.length, 1);
    assert.equal(suspends[0]!.instance.uid, '1111111245427925863');
    assert.equal(isoTime(suspends[0]!.time), '2020-06-18T07:50:51.862Z');
    assert.deepEqual(suspends[0]!.eventIds, ['gcp:-3vh2mxdfk2k']);
    assert.deepEqual(
      iap.events.filter((e) => e.action === 'instance.suspend').map((e) => e.operation),
      [
        'v1.compute.instances.suspend',
        'beta.compute.instances.suspend',
        'alpha.compute.instances.suspend',
      ],
    );
    assert.equal(suspends[0]!.outcome.status, 'success');
  });

  it('should read the system events as stops and a restart with their causes and no API caller', () => {
    const system = byInstance(iap.events, '2162224123123123213').filter(
      (e) => e.cause !== 'api_call',
    );
    const causes = new Map(system.map((e) => [e.operation, [e.action, e.cause]]));
    assert.deepEqual(causes.get('compute.instances.guestTerminate'), ['instance.stop', 'guest_os']);
    assert.deepEqual(causes.get('compute.instances.preempted'), ['instance.stop', 'preemption']);
    assert.deepEqual(causes.get('compute.instances.terminateOnHostMaintenance'), [
      'instance.stop',
      'host_maintenance',
    ]);
    assert.deepEqual(causes.get('compute.instances.hostError'), ['instance.stop', 'host_error']);
    assert.deepEqual(causes.get('compute.instances.automaticRestart'), [
      'instance.start',
      'system_restart',
    ]);
    for (const event of system) assert.equal(event.actor.type, 'provider_system', event.operation);
    const preempted = system.find((e) => e.operation === 'compute.instances.preempted')!;
    assert.equal(preempted.actor.id, 'system@google.com');
    const guest = system.find((e) => e.operation === 'compute.instances.guestTerminate')!;
    assert.equal(guest.actor.id, undefined);
    assert.equal(guest.actor.gap, EMPTY_AUTHENTICATION_GAP);
    // A live migration is no stop; the preemption logged as `compute.instances.unknown`
    // (named by its producer) shares the operation of the real one and merges with it.
    const systemStops = assembleStops(system);
    assert.deepEqual(systemStops.map((s) => s.cause).sort(), [
      'guest_os',
      'host_error',
      'host_maintenance',
      'preemption',
    ]);
  });

  it('should find no stops in the plaso file', () => {
    assert.deepEqual(assembleStops(plaso.events), []);
    assert.deepEqual(plaso.issues, []);
  });

  it('should pair the plaso operation.first and operation.last entries of each operation', () => {
    const phases = new Map<string, string[]>();
    for (const doc of readDocuments(plasoPath)) {
      const operation = (
        doc.value as { operation?: { id?: string; first?: boolean; last?: boolean } }
      ).operation;
      if (!operation?.id) continue;
      phases.set(operation.id, [...(phases.get(operation.id) ?? []), readPhase(operation)]);
    }
    const pairs = [...phases.values()].filter((p) => p.length === 2).map((p) => [...p].sort());
    assert.ok(pairs.length >= 3, `expected first/last pairs, found ${pairs.length}`);
    for (const pair of pairs) assert.deepEqual(pair, ['begin', 'end']);
  });

  it('should read the plaso delegation chain through the compute-system service agent', () => {
    const docs = readDocuments(plasoPath).map(
      (d) => d.value as { protoPayload?: { authenticationInfo?: unknown } },
    );
    const chained = docs.filter((d) =>
      JSON.stringify(d.protoPayload?.authenticationInfo ?? {}).includes('compute-system'),
    );
    assert.equal(chained.length, 1);
    const auth = authenticationInfoSchema.parse(chained[0]!.protoPayload!.authenticationInfo);
    const actor = readActor(auth, { system: false, project: 'ketchup' });
    assert.equal(actor.type, 'service_account');
    assert.equal(actor.id, 'dvwa-service-account@ketchup.iam.gserviceaccount.com');
    assert.deepEqual(actor.chain, [
      {
        type: 'service_account',
        id: 'service-1234567890@compute-system.iam.gserviceaccount.com',
        via: 'service',
      },
    ]);
  });

  it('should read the entries.list pages and refuse what is no page', () => {
    const pages = scanTestFile(corpusPath('gcp/iap-desktop/other-shapes.jsonl'));
    assert.deepEqual(pages.shapes, [
      'gcp-entries-page',
      'gcp-entries-page',
      'gcp-entries-page',
      'gcp-entries-page',
      'gcp-entries-page',
      'none',
    ]);
    assert.deepEqual(pages.issues, []);
    assert.ok(pages.events.length >= 3);
    assert.ok(pages.events.every((e) => e.raw.path.endsWith('other-shapes.jsonl')));
    assert.deepEqual(unwrap({}, {}), {
      kind: 'ignored',
      shape: 'gcp-entries-page',
      reason: 'entries.list page without entries',
    });
  });

  it('should read the cloud-custodian sink entries as LogEntries that hold no VM stop', () => {
    for (const name of [
      'autoscaler-insert',
      'instance-template-create',
      'route-create',
      'router-create',
    ]) {
      const scan = scanTestFile(corpusPath(`gcp/cloud-custodian/${name}.json`));
      assert.deepEqual(scan.shapes, ['gcp-logentry'], name);
      assert.deepEqual(scan.issues, [], name);
      assert.deepEqual(scan.events, [], name);
    }
  });

  it('should read every corpus entry as one record of an entries page split by the framer', () => {
    // The framer may split `entries` out of a page and pass `container: "entries"`.
    const docs = readDocuments(corpusPath('gcp/iap-desktop/entries.jsonl'));
    const split = docs.map((d) => unwrap(d.value, { container: 'entries' }));
    assert.ok(split.every((u) => u?.kind === 'records' && u.shape === 'gcp-entries-page'));
    const events = docs.flatMap((d) => normalize(d.value, { path: 'x', index: d.index }).events);
    assert.equal(events.length, iap.events.length);
  });
});
