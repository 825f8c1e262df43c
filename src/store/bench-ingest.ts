import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from './ingest-paths.ts';
import { openStore } from './open-store.ts';

export interface BenchIngestOptions {
  /** `postgres://…` or a SQLite file; default a SQLite file in a temporary directory. */
  readonly url?: string;
  /** CloudTrail records to write and ingest (default 200,000). */
  readonly records?: number;
  readonly recordsPerFile?: number;
}

export interface BenchIngestResult {
  readonly store: 'sqlite' | 'postgres';
  readonly records: number;
  readonly files: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** Events stored plus credential links kept, per second. */
  readonly eventsPerSecond: number;
  readonly eventsStored: number;
  readonly credentialsStored: number;
  /** Seconds for a second run over the same files (all skipped by hash). */
  readonly rerunSeconds: number;
}

const ACCOUNT = '111122223333';
const T0 = Date.parse('2024-08-01T00:00:00Z');

function uuid(i: number): string {
  const h = createHash('md5').update(`r${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function key(i: number): string {
  return `ASIA${createHash('md5').update(`k${i}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

/*
 * A CloudTrail mix in the S3 delivery shape: 60 % read-only noise, 10 % AssumeRole (the
 * role-issuing traffic kept as credential links), 30 % instance starts, stops and
 * attribute changes by the resulting role sessions, over 2,000 instances.
 */
function record(i: number): Record<string, unknown> {
  // Each block of ten records has one AssumeRole (record 10k+1) whose session does the rest.
  const session = Math.floor(i / 10) * 10 + 1;
  const user = `u${session % 50}`;
  const base = {
    eventVersion: '1.09',
    eventTime: new Date(T0 + i * 50).toISOString().replace('.000', ''),
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.17.32',
    requestID: `req-${i}`,
    eventID: uuid(i),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
  };
  const kind = i % 10;
  if (kind === 1) {
    return {
      ...base,
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
        accountId: ACCOUNT,
        accessKeyId: 'AKIAEXAMPLE',
        userName: user,
      },
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      readOnly: true,
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Ops`, roleSessionName: user },
      responseElements: {
        credentials: {
          accessKeyId: key(i),
          sessionToken: 'token',
          expiration: 'Aug 1, 2024, 11:00:00 PM',
        },
        assumedRoleUser: {
          assumedRoleId: `AROAEXAMPLE:${user}`,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/${user}`,
        },
      },
    };
  }
  if (kind >= 4) {
    return {
      ...base,
      userIdentity: {
        type: 'IAMUser',
        arn: `arn:aws:iam::${ACCOUNT}:user/${user}`,
        accountId: ACCOUNT,
        userName: user,
      },
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      readOnly: true,
      requestParameters: null,
      responseElements: null,
    };
  }
  const instance = `i-${String((i * 7919) % 2000).padStart(17, '0')}`;
  const eventName =
    kind === 0 ? 'StopInstances' : kind === 2 ? 'StartInstances' : 'ModifyInstanceAttribute';
  return {
    ...base,
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${user}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/${user}`,
      accountId: ACCOUNT,
      accessKeyId: key(session),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${ACCOUNT}:role/Ops`,
          accountId: ACCOUNT,
          userName: 'Ops',
        },
        attributes: { creationDate: base.eventTime, mfaAuthenticated: 'false' },
      },
    },
    eventSource: 'ec2.amazonaws.com',
    eventName,
    readOnly: false,
    requestParameters:
      eventName === 'ModifyInstanceAttribute'
        ? { instanceId: instance, instanceType: { value: 'm5.large' } }
        : { instancesSet: { items: [{ instanceId: instance }] } },
    responseElements:
      eventName === 'ModifyInstanceAttribute'
        ? { _return: true }
        : {
            instancesSet: {
              items: [
                {
                  instanceId: instance,
                  currentState: { code: 64, name: 'stopping' },
                  previousState: { code: 16, name: 'running' },
                },
              ],
            },
          },
  };
}

/**
 * Writes `total` synthetic CloudTrail records as S3 delivery files (`{"Records":[…]}`) into
 * `dir`; returns the number of files.
 */
export function writeCloudTrailFiles(dir: string, total: number, perFile: number): number {
  let files = 0;
  for (let start = 0; start < total; start += perFile) {
    const records = Array.from({ length: Math.min(perFile, total - start) }, (_, k) =>
      record(start + k),
    );
    const name = `${ACCOUNT}_CloudTrail_us-east-1_${String(files++).padStart(5, '0')}.json`;
    writeFileSync(join(dir, name), JSON.stringify({ Records: records }));
  }
  return files;
}

/**
 * End to end: writes CloudTrail delivery files, then times `ingestPaths` (scan, normalize,
 * store) over them, and a second run that skips them all. Figures for the README.
 *
 * @example
 * const result = await benchIngest({ records: 100_000 });
 */
export async function benchIngest(options: BenchIngestOptions = {}): Promise<BenchIngestResult> {
  const total = options.records ?? 200_000;
  const perFile = options.recordsPerFile ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-bench-ingest-'));
  try {
    const files = writeCloudTrailFiles(dir, total, perFile);
    const store = await openStore(options.url ?? join(dir, 'bench.db'));
    try {
      let began = performance.now();
      const summary = await ingestPaths(store, [dir]);
      const seconds = (performance.now() - began) / 1000;
      began = performance.now();
      await ingestPaths(store, [dir]);
      const rerunSeconds = (performance.now() - began) / 1000;
      return {
        store: store.kind,
        records: total,
        files,
        seconds: Math.round(seconds * 100) / 100,
        recordsPerSecond: Math.round(summary.records / seconds),
        eventsPerSecond: Math.round((summary.eventsStored + summary.credentialsStored) / seconds),
        eventsStored: summary.eventsStored,
        credentialsStored: summary.credentialsStored,
        rerunSeconds: Math.round(rerunSeconds * 100) / 100,
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
