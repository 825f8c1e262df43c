import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HOUR, MINUTE, compactMinute, datePath, isoSeconds } from './_calendar.ts';
import type { AwsPlaced } from './aws-month.ts';
import type { Random } from './random.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function suffix(random: Random): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHANUMERIC[random.int(0, ALPHANUMERIC.length - 1)];
  return out;
}

export interface WrittenTree {
  readonly files: number;
  readonly records: number;
}

interface Delivered {
  readonly key: string;
  readonly bytes: Buffer;
  readonly oldest: number;
  readonly newest: number;
}

/** `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<rand>.json.gz`. */
function objectKey(account: string, region: string, delivered: number, random: Random): string {
  return `AWSLogs/${account}/CloudTrail/${region}/${datePath(delivered)}/${account}_CloudTrail_${region}_${compactMinute(delivered)}_${suffix(random)}.json.gz`;
}

/**
 * Writes records as CloudTrail delivers them to S3: per account and region, one gzipped
 * `{"Records":[…]}` object per delivery window, plus digest files for the first day of the
 * first trail (so a reader meets the digest shape it must count and not report).
 */
export async function writeAwsTree(
  root: string,
  records: readonly AwsPlaced[],
  random: Random,
  windowMs: number = 4 * HOUR,
): Promise<WrittenTree> {
  const byTrail = new Map<string, Map<number, AwsPlaced[]>>();
  for (const placed of records) {
    const trail = `${placed.account}/${placed.region}`;
    const windows = byTrail.get(trail) ?? new Map<number, AwsPlaced[]>();
    byTrail.set(trail, windows);
    const window = Math.floor(placed.time / windowMs);
    const list = windows.get(window) ?? [];
    windows.set(window, list);
    list.push(placed);
  }
  let files = 0;
  const firstDelivered: Delivered[] = [];
  const trails = [...byTrail.keys()].sort();
  for (const trail of trails) {
    const [account, region] = trail.split('/') as [string, string];
    const windows = byTrail.get(trail)!;
    for (const window of [...windows.keys()].sort((a, b) => a - b)) {
      const list = windows.get(window)!;
      const oldest = list[0]!.time;
      const newest = list[list.length - 1]!.time;
      const delivered = newest + random.int(3, 9) * MINUTE;
      const key = objectKey(account, region, delivered, random);
      const bytes = gzipSync(JSON.stringify({ Records: list.map((p) => p.record) }));
      await mkdir(dirname(join(root, key)), { recursive: true });
      await writeFile(join(root, key), bytes);
      files++;
      if (trail === trails[0] && firstDelivered.length < 12)
        firstDelivered.push({ key, bytes, oldest, newest });
    }
  }
  if (firstDelivered.length > 0) await writeDigests(root, trails[0]!, firstDelivered, random);
  return { files, records: records.length };
}

/** Two hourly-style digests covering the first files, hashes computed from the real bytes. */
async function writeDigests(
  root: string,
  trail: string,
  delivered: readonly Delivered[],
  random: Random,
): Promise<void> {
  const [account, region] = trail.split('/') as [string, string];
  const bucket = `aws-cloudtrail-logs-${account}-${random.hex(8)}`;
  const half = Math.ceil(delivered.length / 2);
  let previous: { key: string; hash: string; signature: string } | undefined;
  for (const part of [delivered.slice(0, half), delivered.slice(half)]) {
    if (part.length === 0) continue;
    const end = part[part.length - 1]!.newest + HOUR;
    const stamp = new Date(Math.floor(end / 1000) * 1000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace('.000', '');
    const key = `AWSLogs/${account}/CloudTrail-Digest/${region}/${datePath(end)}/${account}_CloudTrail-Digest_${region}_org-trail_${region}_${stamp}.json.gz`;
    const signature = random.hex(512);
    const digest = {
      awsAccountId: account,
      digestStartTime: isoSeconds(part[0]!.oldest),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: random.hex(32),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: isoSeconds(part[part.length - 1]!.newest),
      oldestEventTime: isoSeconds(part[0]!.oldest),
      previousDigestS3Bucket: previous ? bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: part.map((file) => ({
        s3Bucket: bucket,
        s3Object: file.key,
        hashValue: createHash('sha256').update(file.bytes).digest('hex'),
        hashAlgorithm: 'SHA-256',
        newestEventTime: isoSeconds(file.newest),
        oldestEventTime: isoSeconds(file.oldest),
      })),
    };
    const bytes = gzipSync(JSON.stringify(digest));
    await mkdir(dirname(join(root, key)), { recursive: true });
    await writeFile(join(root, key), bytes);
    previous = { key, hash: createHash('sha256').update(bytes).digest('hex'), signature };
  }
}
