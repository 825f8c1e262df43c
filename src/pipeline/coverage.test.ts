import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { corpusDir } from '../../test/corpus.ts';
import type { Provider } from '../providers/index.ts';
import { providers } from '../providers/index.ts';
import {
  azureDeallocate,
  cloudTrailNoise,
  cloudTrailStop,
  gcpStopEntry,
} from './_fixture-records.ts';
import { coverageTotal } from './coverage-tally.ts';
import { scanFile } from './scan-file.ts';
import type { CoverageCount, Include } from './types.ts';

const HOUR = 3_600_000;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else if (!name.endsWith('.md')) out.push(path);
  }
  return out;
}

/* The same providers with no needles: nothing is skipped, every record is parsed. */
const parseAll: Provider[] = Object.values(providers).map((p: Provider) => ({
  ...p,
  needles: { stops: [], all: [] },
}));

interface Scanned {
  readonly records: number;
  readonly counts: Map<string, number>;
  readonly recognised: boolean;
}

async function scan(path: string, include: Include, list?: readonly Provider[]): Promise<Scanned> {
  let records = 0;
  let recognised = true;
  const counts = new Map<string, number>();
  for await (const batch of scanFile(
    { path },
    { include, coverage: true, ...(list ? { providers: list } : {}) },
  )) {
    records += batch.records;
    if (batch.issues.some((i) => i.type === 'unknown_format')) recognised = false;
    for (const c of batch.coverage ?? []) {
      const key = `${c.provider}/${c.account}/${c.region}/${new Date(c.hour).toISOString()}`;
      counts.set(key, (counts.get(key) ?? 0) + c.records);
    }
  }
  return { records, counts, recognised };
}

function known(counts: Map<string, number>): Map<string, number> {
  return new Map(
    [...counts].filter(([key]) => !key.endsWith('/unknown/unknown/1970-01-01T00:00:00.000Z')),
  );
}

function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

const dir = mkdtempSync(join(tmpdir(), 'haltwatch-coverage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('scanFile coverage', () => {
  it('should count every corpus record once, the same whether skipped or parsed', async () => {
    let records = 0;
    for (const path of listFiles(corpusDir)) {
      const all = await scan(path, 'all');
      const stops = await scan(path, 'stops');
      const parsed = await scan(path, 'all', parseAll);
      if (!parsed.recognised) continue;
      // Totals equal the scan's record count, in every mode.
      assert.equal(total(all.counts), all.records, path);
      assert.equal(total(stops.counts), stops.records, path);
      assert.equal(total(parsed.counts), parsed.records, path);
      // Keys read from skipped bytes are the keys read from parsed records. A skipped
      // document is one record even when, parsed, it would hold none (a page with only a
      // `nextPageToken`): such documents land in the unknown bucket, so it is left out.
      assert.deepEqual(known(stops.counts), known(parsed.counts), path);
      assert.deepEqual(known(all.counts), known(parsed.counts), path);
      records += parsed.records;
    }
    assert.ok(records > 500, `${records} corpus records`);
  });

  it('should key a generated tree by account, region and hour, noise and bad lines included', async () => {
    // CloudTrail: two accounts, two regions, three hours, noise and one stop per file.
    const expected = new Map<string, number>();
    const add = (key: string, n = 1): void => void expected.set(key, (expected.get(key) ?? 0) + n);
    for (const account of ['111122223333', '444455556666']) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        for (let h = 0; h < 3; h++) {
          const time = `2024-08-01T0${h}:30:00Z`;
          const records = [
            ...Array.from({ length: 5 + h }, (_, n) => ({
              ...cloudTrailNoise(n),
              eventTime: time,
              awsRegion: region,
              recipientAccountId: account,
            })),
            {
              ...cloudTrailStop(h),
              eventTime: time,
              awsRegion: region,
              recipientAccountId: account,
            },
          ];
          add(`aws/${account}/${region}/2024-08-01T0${h}:00:00.000Z`, records.length);
          const folder = join(dir, 'AWSLogs', account, 'CloudTrail', region);
          mkdirSync(folder, { recursive: true });
          writeFileSync(
            join(folder, `h${h}.json.gz`),
            gzipSync(JSON.stringify({ Records: records })),
          );
        }
      }
    }
    // GCP JSON lines: a junk line (counted as unknown) and entries in two zones.
    const gcp = [
      '{"hello":"world"}',
      ...Array.from({ length: 4 }, (_, n) =>
        JSON.stringify({
          ...gcpStopEntry(),
          insertId: `i${n}`,
          protoPayload: {
            ...(gcpStopEntry().protoPayload as object),
            methodName: 'v1.compute.instances.get',
          },
          resource: {
            type: 'gce_instance',
            labels: {
              project_id: 'demo-project',
              zone: n % 2 ? 'us-central1-a' : 'europe-west1-b',
            },
          },
        }),
      ),
    ];
    writeFileSync(join(dir, 'gcp.jsonl'), `${gcp.join('\n')}\n`);
    add('gcp/unknown/unknown/1970-01-01T00:00:00.000Z');
    add('gcp/demo-project/us-central1/2024-08-02T09:00:00.000Z', 2);
    add('gcp/demo-project/europe-west1/2024-08-02T09:00:00.000Z', 2);
    // Azure export: a deallocate and noise reads without a location.
    const noise = {
      ...azureDeallocate('Succeeded'),
      operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/READ',
    };
    delete (noise as Record<string, unknown>).location;
    writeFileSync(
      join(dir, 'PT1H.json'),
      JSON.stringify({ records: [azureDeallocate('Started'), noise, noise] }),
    );
    add('azure/00000000-1111-2222-3333-444444444444/global/2024-08-03T10:00:00.000Z');
    add('azure/00000000-1111-2222-3333-444444444444/unknown/2024-08-03T10:00:00.000Z', 2);

    const got = new Map<string, number>();
    for (const path of listFiles(dir)) {
      for (const [key, n] of (await scan(path, 'stops')).counts)
        got.set(key, (got.get(key) ?? 0) + n);
    }
    assert.deepEqual([...got].sort(), [...expected].sort());
  });

  it('should yield no coverage unless asked', async () => {
    const path = listFiles(corpusDir).find((p) => p.endsWith('aws_cloudtrail.jsonl'))!;
    for await (const batch of scanFile({ path }, { include: 'stops' })) {
      assert.equal(batch.coverage, undefined);
    }
    const counts: CoverageCount[] = [];
    for await (const batch of scanFile({ path }, { include: 'stops', coverage: true })) {
      counts.push(...(batch.coverage ?? []));
    }
    assert.ok(counts.every((c) => c.hour % HOUR === 0));
    assert.ok(coverageTotal(counts) > 0);
  });
});
