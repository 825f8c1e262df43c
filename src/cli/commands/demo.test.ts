import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runDemo, type DemoIo } from './demo.ts';

function capture(): { io: DemoIo; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk) => (stdout += chunk));
  err.on('data', (chunk) => (stderr += chunk));
  return {
    io: { stdout: out, stderr: err, isTTY: false },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

describe('runDemo', () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'haltwatch-demo-cmd-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('should generate the data, scan its logs folder and say what the truth is', async () => {
    const dir = join(base, 'one');
    const scanned: string[][] = [];
    const out = capture();
    const code = await runDemo({ dir, seed: 5, scale: 0.05 }, out.io, async (paths) => {
      scanned.push(paths);
      return 0;
    });
    assert.equal(code, 0);
    assert.deepEqual(scanned, [[join(dir, 'logs')]]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.seed, 5);
    assert.match(out.stderr(), /Generating demo data/);
    assert.match(out.stderr(), new RegExp(`The generator wrote ${manifest.stops.length} stops`));
    // The planted suspicious operations are listed one line each, the mass stop included.
    assert.match(
      out.stderr(),
      /stop 20 instances \(prod-api-01, …\)\s+k\.novak → OrganizationAccountAccessRole\/ops-7731/,
    );
    assert.match(out.stderr(), /j\.doe\.contractor@gmail\.com → ops-automation@acme-prod-3f9a\s/);
    assert.doesNotMatch(out.stderr(), /nightly-scheduler/);
  });

  it('should reuse the data when the seed is the same and regenerate when it is not', async () => {
    const dir = join(base, 'two');
    const scan = async (): Promise<number> => 0;
    await runDemo({ dir, seed: 5, scale: 0.05 }, capture().io, scan);
    const first = (await stat(join(dir, 'manifest.json'))).mtimeMs;
    const again = capture();
    await runDemo({ dir, seed: 5, scale: 0.05 }, again.io, scan);
    assert.equal((await stat(join(dir, 'manifest.json'))).mtimeMs, first);
    assert.match(again.stderr(), /reused/);
    assert.doesNotMatch(again.stderr(), /Generating/);
    const other = capture();
    await runDemo({ dir, seed: 6, scale: 0.05 }, other.io, scan);
    assert.match(other.stderr(), /Generating/);
    assert.equal(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).seed, 6);
  });

  it('should pass on the exit code of the scan', async () => {
    const code = await runDemo(
      { dir: join(base, 'two'), seed: 6, scale: 0.05 },
      capture().io,
      async () => 3,
    );
    assert.equal(code, 3);
  });

  it('should show the suspicious stops in the real scan output', async () => {
    // The real `haltwatch scan` code path, as `npm run demo` runs it.
    const out = capture();
    const code = await runDemo({ dir: join(base, 'two'), seed: 6, scale: 0.05 }, out.io);
    assert.equal(code, 0);
    for (const who of [
      'svc-backup-legacy',
      'ops-automation@acme-prod-3f9a.iam.gserviceaccount.com',
      'intern-readonly',
      // Named only by the AssumeRole that opened the session: the demo scans with --resolve.
      'k.novak → ops-7731',
    ]) {
      assert.ok(out.stdout().includes(who), `the stops table does not show ${who}`);
    }
  });
});
