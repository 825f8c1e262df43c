import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { UsageError } from '../../errors.ts';
import {
  azureDeallocate,
  cloudTrailNoise,
  cloudTrailStop,
  gcpStopEntry,
} from '../../pipeline/_fixture-records.ts';
import { runScan, type ScanCommandOptions } from './scan.ts';

/*
 * The `scan` command as a user runs it: `node bin/haltwatch.js scan ...` in a child process,
 * checking standard output, standard error and the exit code for every format, the filters
 * and the failure modes. A few checks call `runScan` in this process where spawning adds
 * nothing.
 */

const bin = fileURLToPath(new URL('../../../bin/haltwatch.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'haltwatch-cli-scan-'));

function put(path: string, data: string | Buffer): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, data);
  return full;
}

// Hostile text where the log lets a caller write what they like: the user agent and the
// role session name. A spreadsheet must not run it; a terminal must not interpret it.
const HOSTILE_AGENT = '=HYPERLINK("http://evil.example/x","click"),\u001b[31mred';
const HOSTILE_SESSION = "+cmd|' /C calc'!A0";

function hostileStop(): Record<string, unknown> {
  return {
    ...cloudTrailStop(5, 'i-0badbadbadbadbad5'),
    userAgent: HOSTILE_AGENT,
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${HOSTILE_SESSION}`,
      arn: `arn:aws:sts::111122223333:assumed-role/ops/${HOSTILE_SESSION}`,
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: 'arn:aws:iam::111122223333:role/ops',
          accountId: '111122223333',
          userName: 'ops',
        },
        attributes: { creationDate: '2024-08-01T11:00:00Z', mfaAuthenticated: 'false' },
      },
    },
  };
}

const awsDir = 'tree/AWSLogs/111122223333/CloudTrail/us-east-1/2024/08/01';
put(
  `${awsDir}/111122223333_CloudTrail_us-east-1_20240801T1205Z_a.json.gz`,
  gzipSync(JSON.stringify({ Records: [cloudTrailNoise(1), cloudTrailStop(2), hostileStop()] })),
);
const start = {
  ...cloudTrailStop(8),
  eventName: 'StartInstances',
  eventID: 'start-8',
  requestID: 'start-8',
};
put(
  `${awsDir}/111122223333_CloudTrail_us-east-1_20240801T1210Z_b.json.gz`,
  gzipSync(JSON.stringify({ Records: [start] })),
);
put(
  'tree/gcs/cloudaudit.googleapis.com/activity/2024/08/02/09:00:00_09:59:59_S0.json',
  `${JSON.stringify(gcpStopEntry())}\n`,
);
put(
  'tree/insights-activity-logs/resourceId=/SUBSCRIPTIONS/X/y=2024/m=08/d=03/h=10/m=00/PT1H.json',
  `${JSON.stringify(azureDeallocate('Started'))}\n${JSON.stringify(azureDeallocate('Succeeded'))}\n`,
);
const tree = join(root, 'tree');
const STOPS_IN_TREE = 4;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function haltwatch(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function jsonLinesOf(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('haltwatch scan', { concurrency: 4 }, () => {
  it('should print the stops as a table and the summary on stderr', async () => {
    const run = await haltwatch(['scan', tree]);
    assert.equal(run.code, 0, run.stderr);
    for (const text of [
      'time',
      'instance',
      'actor',
      'i-00000000000000002',
      'alice',
      'carol@example.com',
      'vm-db-1',
      'deallocate',
    ]) {
      assert.ok(
        run.stdout.toLowerCase().includes(text.toLowerCase()),
        `no ${text} in\n${run.stdout}`,
      );
    }
    // Terminal escapes in log text are shown, not interpreted.
    assert.ok(!run.stdout.includes('\u001b'));
    assert.match(run.stderr, /Read 4 files .*: 7 records, \d+ events?, 4 stops/);
    assert.doesNotMatch(run.stdout, /Read 4 files/);
  });

  it('should print one JSON object per stop with --format jsonl, the same on 0 and 2 workers', async () => {
    const [inline, threaded] = await Promise.all([
      haltwatch(['scan', tree, '--format', 'jsonl', '--workers', '0']),
      haltwatch(['scan', tree, '--format', 'jsonl', '--workers', '2']),
    ]);
    assert.equal(inline.code, 0, inline.stderr);
    const records = jsonLinesOf(inline.stdout);
    assert.equal(records.length, STOPS_IN_TREE);
    assert.ok(records.every((r) => r.record === 'stop'));
    assert.deepEqual(
      records.map((r) => r.provider),
      ['aws', 'aws', 'gcp', 'azure'],
    );
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.equal(threaded.stdout, inline.stdout);
  });

  it('should write formula-safe RFC 4180 CSV with --format csv', async () => {
    const run = await haltwatch(['scan', tree, '--format', 'csv']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\r\n').filter((l) => l !== '');
    assert.match(lines[0]!, /^record,time,/);
    assert.equal(lines.length, 1 + STOPS_IN_TREE);
    const hostile = lines.find((l) => l.includes('i-0badbadbadbadbad5'))!;
    // The agent holds a comma and quotes: quoted, quotes doubled, formula neutralised by `'`.
    assert.ok(hostile.includes(`"'=HYPERLINK(""http://evil.example/x"",""click""),`), hostile);
    assert.ok(hostile.includes(`'+cmd|`), hostile);
    assert.doesNotMatch(hostile, /,=HYPERLINK|,"=HYPERLINK|,\+cmd|,"\+cmd/);
  });

  it('should write OCSF API Activity with --format ocsf, and no summary with --quiet', async () => {
    const run = await haltwatch(['scan', tree, '--format', 'ocsf', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', '--quiet prints no summary');
    const records = jsonLinesOf(run.stdout);
    assert.equal(records.length, STOPS_IN_TREE);
    for (const record of records) {
      assert.equal(record.class_uid, 6003);
      assert.equal(record.category_uid, 6);
      assert.equal(record.type_uid, 600300 + (record.activity_id as number));
      assert.equal((record.metadata as { product: { name: string } }).product.name, 'haltwatch');
    }
    const hostile = records.find((r) => JSON.stringify(r).includes('i-0badbadbadbadbad5'))!;
    assert.equal((hostile.http_request as { user_agent: string }).user_agent, HOSTILE_AGENT);
  });

  it('should add the related events as a second table with --all', async () => {
    const table = await haltwatch(['scan', tree, '--all']);
    assert.equal(table.code, 0, table.stderr);
    const [stops, events] = table.stdout.split('Related events');
    assert.ok(events !== undefined, table.stdout);
    assert.match(events, /StartInstances/);
    assert.doesNotMatch(stops!, /StartInstances/);
  });

  it('should read standard input for -', async () => {
    const text = `${JSON.stringify(cloudTrailNoise(1))}\n${JSON.stringify(cloudTrailStop(3))}\n`;
    const run = await haltwatch(['scan', '-', '--format', 'jsonl'], text);
    assert.equal(run.code, 0, run.stderr);
    const records = jsonLinesOf(run.stdout);
    assert.equal(records.length, 1);
    assert.equal((records[0]!.instance as { uid: string }).uid, 'i-00000000000000003');
    assert.deepEqual(
      (records[0]!.raws as Array<{ path: string }>).map((r) => r.path),
      ['-'],
    );
  });

  it('should exit 0 and say where the skipped records are when some are bad', async () => {
    const file = put(
      'partly-bad.jsonl',
      `${JSON.stringify(cloudTrailStop(1))}\n{"eventName":"StopInstances", nope\n`,
    );
    const run = await haltwatch(['scan', file, '--format', 'jsonl']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(jsonLinesOf(run.stdout).length, 1);
    assert.match(run.stderr, /invalid JSON \(invalid_json\): 1/);
    assert.ok(run.stderr.includes(`${file}:2`), run.stderr);
  });

  it('should exit 1 with a clear message when nothing could be read', async () => {
    const other = put('not-logs/notes.json', '{"hello": "world"}\n');
    const [missing, wrong] = await Promise.all([
      haltwatch(['scan', join(root, 'no-such-dir')]),
      haltwatch(['scan', other, '--format', 'jsonl']),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Nothing could be read/);
    assert.match(missing.stderr, /no such file or directory/);
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      /notes\.json" is not a CloudTrail, Cloud Audit Logs or Activity Log export/,
    );
    assert.equal(wrong.stdout, '');
  });

  it('should exit 2 for usage errors, naming what is wrong', async () => {
    const runs = await Promise.all([
      haltwatch(['scan', tree, '--since', 'last tuesday']),
      haltwatch(['scan', tree, '--format', 'xml']),
      haltwatch(['scan', tree, '--no-such-option']),
      haltwatch(['scan']),
    ]);
    const messages = [
      /--since "last tuesday"/,
      /Unknown format "xml"/,
      /unknown option/,
      /missing required argument/,
    ];
    runs.forEach((run, i) => {
      assert.equal(run.code, 2, `${messages[i]}: ${run.stderr}`);
      assert.match(run.stderr, messages[i]!);
      assert.equal(run.stdout, '');
    });
  });
});

describe('runScan', () => {
  function io(): {
    stdout: PassThrough;
    stderr: PassThrough;
    out: () => string;
    err: () => string;
  } {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    return { stdout, stderr, out: () => out, err: () => err };
  }

  /** In-process `haltwatch scan <tree> <options> --format jsonl`: stdout and stderr as text. */
  async function scan(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
    const options: Record<string, string | boolean> = { format: 'jsonl', workers: '0' };
    for (let i = 0; i < args.length; i += 2) options[args[i]!.replace(/^--/, '')] = args[i + 1]!;
    const streams = io();
    const code = await runScan([tree], options, streams);
    assert.equal(code, 0, streams.err());
    return { stdout: streams.out(), stderr: streams.err() };
  }

  it('should print stops then related events as JSON lines with all', async () => {
    const streams = io();
    await runScan([tree], { format: 'jsonl', all: true, workers: 0 }, streams);
    const records = jsonLinesOf(streams.out());
    assert.equal(records.filter((r) => r.record === 'stop').length, STOPS_IN_TREE);
    const events = records.filter((r) => r.record === 'event');
    assert.ok(events.some((e) => e.operation === 'StartInstances'));
    assert.ok(
      events.every((e) => !/stop|deallocate|power_off|suspend|hibernate/.test(String(e.action))),
    );
    assert.deepEqual(
      records.map((r) => r.record),
      [...records.filter((r) => r.record === 'stop'), ...events].map((r) => r.record),
    );
    assert.match(streams.err(), /Related events shown: [1-9]/);
  });

  it('should narrow the stops with the filters', async () => {
    const [gcp, actor, since, instance, account] = await Promise.all([
      scan(['--format', 'jsonl', '--provider', 'gcp']),
      scan(['--format', 'jsonl', '--actor', 'DAVE']),
      scan(['--format', 'jsonl', '--since', '2024-08-02']),
      scan(['--format', 'jsonl', '--instance', 'badbad']),
      scan(['--format', 'jsonl', '--account', '111122223333', '--until', '2024-08-01T12:01:30Z']),
    ]);
    assert.deepEqual(
      jsonLinesOf(gcp.stdout).map((r) => r.provider),
      ['gcp'],
    );
    assert.deepEqual(
      jsonLinesOf(actor.stdout).map((r) => r.provider),
      ['azure'],
    );
    assert.deepEqual(
      jsonLinesOf(since.stdout).map((r) => r.provider),
      ['gcp', 'azure'],
    );
    assert.deepEqual(
      jsonLinesOf(instance.stdout).map((r) => (r.instance as { uid: string }).uid),
      ['i-0badbadbadbadbad5'],
    );
    assert.equal(jsonLinesOf(account.stdout).length, 0, 'both AWS stops are after 12:01:30');
    assert.match(gcp.stderr, /Shown after filters: 1 stop/);
  });

  it('should count --since 7d back from the clock it is given', async () => {
    const streams = io();
    const now = () => Date.parse('2024-08-08T00:00:00Z');
    const code = await runScan(
      [tree],
      { format: 'jsonl', since: '7d', workers: 0 },
      { ...streams, now },
    );
    assert.equal(code, 0);
    // 2024-08-01T00:00Z and later: every stop in the tree.
    assert.equal(jsonLinesOf(streams.out()).length, STOPS_IN_TREE);
    const later = io();
    await runScan([tree], { format: 'jsonl', since: '6d', workers: 0 }, { ...later, now });
    assert.deepEqual(
      jsonLinesOf(later.out()).map((r) => r.provider),
      ['gcp', 'azure'],
    );
  });

  it('should throw a UsageError before reading anything', async () => {
    const streams = io();
    await assert.rejects(runScan([tree], { format: 'yaml' }, streams), UsageError);
    await assert.rejects(runScan([tree], { workers: 'many' }, streams), /--workers "many"/);
    await assert.rejects(runScan([tree], { workers: '-1' }, streams), UsageError);
    await assert.rejects(
      runScan([tree], { provider: 'oracle' }, streams),
      /Unknown provider "oracle"/,
    );
    await assert.rejects(runScan([], {}, streams), UsageError);
    assert.equal(streams.out(), '');
  });
});

describe('runScan on a terminal', () => {
  it('should print no colour with NO_COLOR and still cut cells to fit the terminal', async () => {
    const run = async (color: boolean | undefined) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (c) => (out += c));
      stderr.resume();
      await runScan([tree], { workers: '0' }, { stdout, stderr, isTTY: true, color });
      return out;
    };
    // Whether colours show otherwise is the colour library's call (it reads TERM and CI).
    const plain = await run(false);
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.match(plain, /^time\s+cloud/);
    // Cut to fit: the hostile session name's row still ends within the terminal widths.
    const widest = Math.max(...plain.split('\n').map((line) => line.trimEnd().length));
    const whole = await (async () => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      stdout.on('data', (c) => (out += c));
      stderr.resume();
      await runScan([tree], { workers: '0' }, { stdout, stderr, isTTY: false });
      return out;
    })();
    assert.ok(widest <= Math.max(...whole.split('\n').map((line) => line.trimEnd().length)));
  });
});

describe('runScan --resolve', () => {
  // alice (an IAM user) assumes Ops as session "deploy-42" in one file; the session stops an
  // instance, recorded in another file. Only the AssumeRole record says who opened it.
  const dir = join(root, 'resolve');
  const account = '111122223333';
  const key = 'ASIAEXAMPLERESOLVE01';
  const assume = {
    eventVersion: '1.09',
    eventTime: '2024-08-01T09:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.17.32',
    requestID: 'req-a',
    eventID: 'b0c5a6e2-0000-4000-8000-000000000001',
    eventType: 'AwsApiCall',
    recipientAccountId: account,
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${account}:user/alice`,
      accountId: account,
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    requestParameters: {
      roleArn: `arn:aws:iam::${account}:role/Ops`,
      roleSessionName: 'deploy-42',
    },
    responseElements: {
      credentials: { accessKeyId: key, sessionToken: 't', expiration: 'Aug 1, 2024, 10:00:00 AM' },
      assumedRoleUser: {
        assumedRoleId: 'AROAEXAMPLE:deploy-42',
        arn: `arn:aws:sts::${account}:assumed-role/Ops/deploy-42`,
      },
    },
  };
  const stop = {
    ...assume,
    eventTime: '2024-08-01T09:05:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'StopInstances',
    requestID: 'req-s',
    eventID: 'b0c5a6e2-0000-4000-8000-000000000002',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:deploy-42',
      arn: `arn:aws:sts::${account}:assumed-role/Ops/deploy-42`,
      accountId: account,
      accessKeyId: key,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLE',
          arn: `arn:aws:iam::${account}:role/Ops`,
          accountId: account,
          userName: 'Ops',
        },
        attributes: { creationDate: '2024-08-01T09:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    requestParameters: { instancesSet: { items: [{ instanceId: 'i-0resolve000000001' }] } },
    responseElements: {
      instancesSet: {
        items: [
          {
            instanceId: 'i-0resolve000000001',
            currentState: { code: 64, name: 'stopping' },
            previousState: { code: 16, name: 'running' },
          },
        ],
      },
    },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a-assume.json'), JSON.stringify({ Records: [assume] }));
  writeFileSync(join(dir, 'b-stop.json.gz'), gzipSync(JSON.stringify({ Records: [stop] })));

  function streams() {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    return { stdout, stderr, out: () => out, err: () => err };
  }

  it('should name the user who opened the role session, across files, on workers or not', async () => {
    for (const workers of ['0', '2']) {
      const jsonl = streams();
      assert.equal(await runScan([dir], { format: 'jsonl', resolve: true, workers }, jsonl), 0);
      const [record, ...rest] = jsonLinesOf(jsonl.out());
      assert.equal(rest.length, 0, 'the AssumeRole is read, not printed');
      const resolved = record!.resolvedActor as { origin: { name: string }; missing?: string };
      assert.equal(resolved.origin.name, 'alice', workers);
      assert.equal(resolved.missing, undefined);
      const table = streams();
      await runScan([dir], { resolve: true, workers }, table);
      assert.match(table.out(), /alice → deploy-42 \(role Ops\)/);
      assert.match(
        table.err(),
        /Identities: 1 credential handed out in the files read; 1 stop traced to who opened the session, 0 stops with a link not in the files read/,
      );
      const csv = streams();
      await runScan([dir], { format: 'csv', resolve: true, workers }, csv);
      const [header, row] = csv.out().split('\r\n');
      const origin = header!.split(',').indexOf('origin');
      assert.equal(row!.split(',')[origin], 'alice');
      const ocsf = streams();
      await runScan([dir], { format: 'ocsf', resolve: true, workers }, ocsf);
      const [event] = jsonLinesOf(ocsf.out()) as Array<{
        unmapped: { resolved_actor: { origin: { name: string } } };
      }>;
      assert.equal(event!.unmapped.resolved_actor.origin.name, 'alice');
    }
    // Without --resolve the AssumeRole is not even parsed: the stop names the session only.
    const plain = streams();
    await runScan([dir], { format: 'jsonl', workers: '0' }, plain);
    const [record] = jsonLinesOf(plain.out());
    assert.equal(record!.resolvedActor, undefined);
  });

  it('should let --actor find the stops of the user behind a role session', async () => {
    const count = async (options: ScanCommandOptions) => {
      const out = streams();
      await runScan([dir], { format: 'jsonl', workers: '0', ...options }, out);
      return jsonLinesOf(out.out()).length;
    };
    assert.equal(await count({ actor: 'alice', resolve: true }), 1);
    assert.equal(await count({ actor: 'deploy-42', resolve: true }), 1);
    assert.equal(await count({ actor: 'bob', resolve: true }), 0);
    // Without resolution the record alone does not name alice.
    assert.equal(await count({ actor: 'alice' }), 0);
  });

  it('should say which link is missing when the issuing event is not among the files', async () => {
    const jsonl = streams();
    await runScan([join(dir, 'b-stop.json.gz')], { format: 'jsonl', resolve: true }, jsonl);
    const [record] = jsonLinesOf(jsonl.out());
    const resolved = record!.resolvedActor as { missing?: string };
    assert.match(resolved.missing ?? '', /access key "ASIAEXAMPLERESOLVE01".*in the logs read/);
    assert.match(jsonl.err(), /0 stops traced to who opened the session, 1 stop with a link not/);
  });
});
