import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { corpusPath } from '../../test/corpus.ts';
import { generateDemo } from './generate-demo.ts';
import type { DemoManifest } from './demo-manifest.ts';
import { readDemoManifest } from './read-manifest.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

type Json = Record<string, any>;

async function readRecords(dir: string, file: string): Promise<Json[]> {
  const bytes = await readFile(join(dir, file));
  if (file.endsWith('.gz')) return JSON.parse(gunzipSync(bytes).toString('utf8')).Records ?? [];
  return bytes
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** typeof, with null and arrays told apart: what "the same schema" means field by field. */
function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

describe('generateDemo', () => {
  let base: string;
  let manifest: DemoManifest;
  let files: string[];

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'haltwatch-demo-'));
    manifest = await generateDemo(join(base, 'a'), { seed: 42, scale: 0.05 });
    files = await listFiles(join(base, 'a', 'logs'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('should write byte-identical files for the same seed', async () => {
    await generateDemo(join(base, 'b'), { seed: 42, scale: 0.05 });
    const again = await listFiles(join(base, 'b', 'logs'));
    assert.deepEqual(again, files);
    for (const file of files) {
      const [x, y] = await Promise.all([
        readFile(join(base, 'a', 'logs', file)),
        readFile(join(base, 'b', 'logs', file)),
      ]);
      assert.ok(x.equals(y), `${file} differs between two runs`);
    }
    for (const file of ['manifest.json', 'context.yaml']) {
      assert.equal(
        await readFile(join(base, 'b', file), 'utf8'),
        await readFile(join(base, 'a', file), 'utf8'),
      );
    }
  });

  it('should write different data for another seed', async () => {
    const other = await generateDemo(join(base, 'c'), { seed: 43, scale: 0.05 });
    assert.notDeepEqual(
      other.stops.map((s) => s.instance),
      manifest.stops.map((s) => s.instance),
    );
  });

  it('should lay files out as the clouds export them', () => {
    const aws =
      /^aws\/AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    const digest =
      /^aws\/AWSLogs\/(\d{12})\/CloudTrail-Digest\/([a-z]{2}-[a-z]+-\d)\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail-Digest_\2_[\w-]+_[a-z]{2}-[a-z]+-\d_\d{8}T\d{6}Z\.json\.gz$/;
    const gcp =
      /^gcp\/cloudaudit\.googleapis\.com\/(activity|data_access|system_event)\/\d{4}\/\d{2}\/\d{2}\/(\d{2}):00:00_\2:59:59_S0\.json$/;
    const azure =
      /^azure\/insights-activity-logs\/resourceId=\/SUBSCRIPTIONS\/[0-9A-F-]{36}\/RESOURCEGROUPS\/[A-Z0-9-]+\/PROVIDERS\/MICROSOFT\.[A-Z]+\/[A-Z/0-9-]+\/y=\d{4}\/m=\d{2}\/d=\d{2}\/h=\d{2}\/m=00\/PT1H\.json$/;
    const counts = { aws: 0, digest: 0, gcp: 0, azure: 0 };
    for (const file of files) {
      if (aws.test(file)) counts.aws++;
      else if (digest.test(file)) counts.digest++;
      else if (gcp.test(file)) counts.gcp++;
      else if (azure.test(file)) counts.azure++;
      else assert.fail(`unexpected path ${file}`);
    }
    assert.equal(counts.aws, manifest.files.aws);
    assert.equal(counts.gcp, manifest.files.gcp);
    assert.equal(counts.azure, manifest.files.azure);
    assert.ok(counts.digest >= 1 && counts.digest <= 2);
    const accounts = new Set(files.filter((f) => aws.test(f)).map((f) => f.split('/')[2]));
    const regions = new Set(files.filter((f) => aws.test(f)).map((f) => f.split('/')[4]));
    assert.equal(accounts.size, 2);
    assert.equal(regions.size, 2);
  });

  it('should write CloudTrail records whose fields have the types of a real StopInstances record', async () => {
    const real: Json = JSON.parse(
      await readFile(corpusPath('aws/stratus-red-team/aws.execution.ec2-user-data.json'), 'utf8'),
    ).find((r: Json) => r.eventName === 'StopInstances');
    const stop = (
      await Promise.all(
        files
          .filter((f) => f.includes('/CloudTrail/'))
          .map((f) => readRecords(join(base, 'a', 'logs'), f)),
      )
    )
      .flat()
      .find(
        (r) => r.eventName === 'StopInstances' && r.userIdentity.type === 'IAMUser' && !r.errorCode,
      );
    assert.ok(stop, 'no successful StopInstances by an IAM user written');
    for (const key of Object.keys(real)) {
      assert.ok(key in stop, `missing ${key}`);
      assert.equal(kind(stop[key]), kind(real[key]), `type of ${key}`);
    }
    for (const key of Object.keys(real.userIdentity))
      assert.equal(
        kind(stop.userIdentity[key]),
        kind(real.userIdentity[key]),
        `userIdentity.${key}`,
      );
    const item = stop.responseElements.instancesSet.items[0];
    assert.deepEqual(
      Object.keys(item).sort(),
      Object.keys(real.responseElements.instancesSet.items[0]).sort(),
    );
    assert.equal(item.previousState.name, 'running');
    assert.equal(item.currentState.name, 'stopping');
    assert.equal(stop.requestID, stop.responseElements.requestId);
  });

  it('should write GCP entries with the fields of a real Compute Engine audit entry', async () => {
    const real: Json = JSON.parse(
      (await readFile(corpusPath('gcp/iap-desktop/entries.jsonl'), 'utf8')).split('\n')[0]!,
    );
    const entries = (
      await Promise.all(
        files
          .filter((f) => f.startsWith('gcp/'))
          .map((f) => readRecords(join(base, 'a', 'logs'), f)),
      )
    ).flat();
    assert.equal(entries.length, manifest.records.gcp);
    for (const entry of entries) {
      for (const key of [
        'protoPayload',
        'insertId',
        'resource',
        'timestamp',
        'severity',
        'logName',
        'receiveTimestamp',
      ]) {
        assert.equal(kind(entry[key]), kind(real[key]), `${key} of ${entry.insertId}`);
      }
      assert.equal(entry.protoPayload['@type'], 'type.googleapis.com/google.cloud.audit.AuditLog');
      assert.match(
        entry.logName,
        /^projects\/[a-z0-9-]+\/logs\/cloudaudit\.googleapis\.com%2F(activity|data_access|system_event)$/,
      );
      assert.match(entry.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    const stop = entries.filter(
      (e) => e.protoPayload.methodName === 'v1.compute.instances.stop' && e.operation?.first,
    );
    assert.ok(stop.length > 0);
    for (const first of stop) {
      const last = entries.find((e) => e.operation?.id === first.operation.id && e.operation.last);
      assert.ok(last, `operation ${first.operation.id} has no last entry`);
      assert.equal(last.resource.labels.instance_id, first.resource.labels.instance_id);
    }
  });

  it('should write Azure records in the storage-export schema, phases under one correlationId', async () => {
    const records = (
      await Promise.all(
        files
          .filter((f) => f.startsWith('azure/'))
          .map((f) => readRecords(join(base, 'a', 'logs'), f)),
      )
    ).flat();
    assert.equal(records.length, manifest.records.azure);
    for (const record of records) {
      for (const key of [
        'time',
        'resourceId',
        'operationName',
        'category',
        'resultType',
        'resultSignature',
        'correlationId',
        'identity',
        'level',
        'properties',
      ]) {
        assert.ok(key in record, `missing ${key}`);
      }
      assert.equal(record.resourceId, record.resourceId.toUpperCase());
      assert.equal(record.operationName, record.operationName.toUpperCase());
      assert.ok(['Start', 'Accept', 'Success', 'Failure'].includes(record.resultType));
      assert.equal(kind(record.durationMs), 'number');
    }
    const deallocates = manifest.stops.filter(
      (s) => s.cloud === 'azure' && s.outcome === 'success',
    );
    for (const stop of deallocates) {
      const phases = records
        .filter((r) => r.correlationId === stop.operationId)
        .map((r) => r.resultType);
      assert.deepEqual(phases, ['Start', 'Accept', 'Success']);
    }
  });

  it('should list in the manifest exactly the stop records written', async () => {
    const all = (
      await Promise.all(
        files
          .filter((f) => !f.includes('Digest'))
          .map((f) => readRecords(join(base, 'a', 'logs'), f)),
      )
    ).flat();
    const written = new Set<string>();
    for (const r of all) {
      if (r.eventName === 'StopInstances')
        for (const i of r.requestParameters.instancesSet.items)
          written.add(`aws ${r.requestID} ${i.instanceId}`);
      const method: string | undefined = r.protoPayload?.methodName;
      if (
        method &&
        /instances\.(stop|suspend|preempted)$/.test(method) &&
        (r.operation?.first === true || !r.operation)
      ) {
        written.add(`gcp ${r.operation?.id ?? 'denied'} ${r.resource.labels.instance_id}`);
      }
      if (
        /\/(DEALLOCATE|POWEROFF)\/ACTION$/.test(r.operationName ?? '') &&
        (r.resultType === 'Start' || r.resultType === 'Failure')
      ) {
        written.add(`azure ${r.correlationId} ${r.resourceId}`);
      }
    }
    const listed = new Set(
      manifest.stops.map(
        (s) =>
          `${s.cloud} ${s.operationId.startsWith('denied-') ? 'denied' : s.operationId} ${s.instance}`,
      ),
    );
    assert.deepEqual([...listed].sort(), [...written].sort());
    assert.equal(listed.size, manifest.stops.length);
  });

  it('should tell every story the brief asks for', () => {
    const stories = new Set(manifest.stops.map((s) => `${s.cloud}:${s.story}`));
    for (const expected of [
      'aws:nightly-scheduler',
      'gcp:nightly-scheduler',
      'azure:nightly-scheduler',
      'aws:approved-maintenance',
      'aws:incident-response',
      'aws:cost-bot',
      'aws:suspicious-offhours-prod-db',
      'aws:suspicious-stop-userdata-start',
      'aws:suspicious-denied',
      'gcp:suspicious-impersonation',
      'azure:suspicious-unknown-principal',
      'gcp:preemption',
    ]) {
      assert.ok(stories.has(expected), `missing ${expected}`);
    }
    const mass = manifest.stops.filter((s) => s.story === 'suspicious-mass-stop');
    assert.equal(mass.length, 20);
    assert.equal(new Set(mass.map((s) => s.operationId)).size, 1, 'the mass stop is one call');
    const impersonation = manifest.stops.find((s) => s.story === 'suspicious-impersonation')!;
    assert.deepEqual(impersonation.actor.chain, ['j.doe.contractor@gmail.com']);
    assert.ok(manifest.stops.every((s) => s.time.startsWith('2025-11')));
  });

  it('should read back its own manifest and refuse anything else', async () => {
    const back = await readDemoManifest(join(base, 'a'));
    assert.equal(back?.seed, 42);
    assert.equal(await readDemoManifest(join(base, 'missing')), undefined);
  });

  it('should refuse to replace a logs folder it did not write', async () => {
    const dir = join(base, 'user');
    await mkdir(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs', 'mine.txt'), 'keep me');
    await assert.rejects(generateDemo(dir, { scale: 0.05 }), /did not write/);
    assert.equal(await readFile(join(dir, 'logs', 'mine.txt'), 'utf8'), 'keep me');
  });

  it('should reject a month that does not exist', async () => {
    await assert.rejects(generateDemo(join(base, 'd'), { month: '2025-13' }), /YYYY-MM/);
  });
});
