import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { compactMinute, datePath, parseMonth } from '../src/demo/_calendar.ts';
import { iamUser, roleSession, type AwsCaller } from '../src/demo/aws-identity.ts';
import { awsNoiseCall } from '../src/demo/aws-noise.ts';
import { cloudTrailRecord, stopInstances } from '../src/demo/aws-records.ts';
import { Random } from '../src/demo/random.ts';

const gzipAsync = promisify(gzip);

/** Bump when the generated content changes, so a cached tree is rebuilt. */
const TREE_VERSION = 3;
const FILE_BYTES = 1_000_000;
/** About one record in 2,000 is a stop: 0.05 %. */
export const STOP_RATE = 0.0005;

export interface BenchTree {
  readonly dir: string;
  readonly paths: readonly string[];
  readonly files: number;
  /** Uncompressed JSON bytes. */
  readonly bytes: number;
  readonly compressedBytes: number;
  readonly records: number;
  /** `StopInstances` calls written, one instance each: also the stop count. */
  readonly stops: number;
  /** Records whose text mentions `ec2:StopInstances` without being a stop (policies). */
  readonly policyMentions: number;
}

interface Trail {
  readonly account: string;
  readonly region: string;
  readonly callers: readonly AwsCaller[];
  readonly instanceIds: readonly string[];
}

function trails(random: Random): Trail[] {
  const out: Trail[] = [];
  for (const account of ['402917355581', '718605322940']) {
    const callers = [
      roleSession(random, account, 'terraform-ci', 'gitlab-runner-8812', {
        ip: '192.0.2.200',
        userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.5',
      }),
      roleSession(random, account, 'DatadogIntegrationRole', 'datadog-aws-integration', {
        ip: '3.233.144.17',
        userAgent: 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)',
      }),
      iamUser(random, account, 'alex.chen', {
        ip: '192.0.2.40',
        userAgent: 'aws-cli/2.15.30 md/command#ec2.describe-instances',
      }),
      roleSession(random, account, 'InstanceScheduler-SchedulerRole', 'InstanceScheduler-Main', {
        ip: '54.194.10.20',
        userAgent: 'Boto3/1.34.69 AwsSolution/SO0030/v1.5.3',
      }),
    ];
    const instanceIds = Array.from({ length: 40 }, () => `i-0${random.hex(16)}`);
    for (const region of ['eu-west-1', 'us-east-1'])
      out.push({ account, region, callers, instanceIds });
  }
  return out;
}

async function readMeta(dir: string): Promise<BenchTree | undefined> {
  try {
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'));
    return meta.version === TREE_VERSION ? { ...meta.tree, dir } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A gzipped CloudTrail S3 tree of at least `targetBytes` uncompressed, about 1 MB of JSON
 * per object, 2 accounts × 2 regions, stops at `STOP_RATE` among noise that includes IAM
 * policy documents naming `ec2:StopInstances`. Cached in `dir`: built once, then reused.
 */
export async function ensureBenchTree(
  dir: string,
  targetBytes: number,
  onProgress?: (done: number, total: number) => void,
): Promise<BenchTree> {
  const cached = await readMeta(dir);
  if (cached && cached.bytes >= targetBytes) return cached;
  await rm(dir, { recursive: true, force: true });
  const random = new Random(0xbe4c);
  const all = trails(random.fork('trails'));
  const month = parseMonth('2025-11')!;
  const expectedFiles = Math.ceil(targetBytes / FILE_BYTES);
  const spacing = Math.floor((month.days * 86_400_000) / Math.ceil(expectedFiles / all.length));
  const paths: string[] = [];
  let bytes = 0;
  let compressedBytes = 0;
  let records = 0;
  let stops = 0;
  let policyMentions = 0;
  const pending = new Set<Promise<void>>();
  for (let file = 0; bytes < targetBytes; file++) {
    const trail = all[file % all.length]!;
    let time = month.start + Math.floor(file / all.length) * spacing;
    const parts: string[] = [];
    let size = 14;
    while (size < FILE_BYTES) {
      time += random.int(50, 900);
      const caller = random.pick(trail.callers);
      let text: string;
      if (random.chance(STOP_RATE)) {
        const id = random.pick(trail.instanceIds);
        const requestId = random.uuid();
        text = JSON.stringify(
          cloudTrailRecord(
            random,
            time,
            trail.account,
            trail.region,
            caller,
            stopInstances(requestId, [id]),
            requestId,
          ),
        );
        stops++;
      } else {
        const call = awsNoiseCall(random, {
          account: trail.account,
          region: trail.region,
          instanceIds: trail.instanceIds,
          roleNames: ['terraform-ci', 'InstanceScheduler-SchedulerRole'],
        });
        text = JSON.stringify(
          cloudTrailRecord(random, time, trail.account, trail.region, caller, call),
        );
        if (text.includes('ec2:StopInstances')) policyMentions++;
      }
      parts.push(text);
      size += text.length + 1;
      records++;
    }
    const json = `{"Records":[${parts.join(',')}]}`;
    bytes += json.length;
    const delivered = time + random.int(3, 9) * 60_000;
    const key = `AWSLogs/${trail.account}/CloudTrail/${trail.region}/${datePath(delivered)}/${trail.account}_CloudTrail_${trail.region}_${compactMinute(delivered)}_${random.upper(16)}.json.gz`;
    const path = join(dir, key);
    paths.push(path);
    const job = (async () => {
      const gz = await gzipAsync(json);
      compressedBytes += gz.length;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, gz);
    })();
    pending.add(job);
    void job.finally(() => pending.delete(job));
    if (pending.size >= 4) await Promise.race(pending);
    onProgress?.(bytes, targetBytes);
  }
  await Promise.all(pending);
  const tree = {
    paths,
    files: paths.length,
    bytes,
    compressedBytes,
    records,
    stops,
    policyMentions,
  };
  await writeFile(join(dir, 'meta.json'), JSON.stringify({ version: TREE_VERSION, tree }));
  return { ...tree, dir };
}
