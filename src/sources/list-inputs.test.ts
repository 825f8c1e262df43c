import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { isInputIssue, listInputs } from './list-inputs.ts';
import type { InputFile } from './types.ts';
import type { RecordIssue } from '../model/index.ts';

const root = mkdtempSync(join(tmpdir(), 'haltwatch-list-'));
after(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, content = '{}'): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

async function list(paths: string[]): Promise<{ files: InputFile[]; issues: RecordIssue[] }> {
  const files: InputFile[] = [];
  const issues: RecordIssue[] = [];
  for await (const input of listInputs(paths)) {
    if (isInputIssue(input)) issues.push(input);
    else files.push(input);
  }
  return { files, issues };
}

describe('listInputs', () => {
  // The layouts the clouds deliver: deep trees whose names sort by time.
  put('AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/02/b.json.gz', 'xx');
  put('AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/a.json.gz', 'x');
  put('AWSLogs/123456789012/CloudTrail/eu-west-1/2024/04/30/z.json.gz');
  put('AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2024/05/01/d.json.gz');
  put(
    'insights-activity-logs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/y=2024/m=05/d=01/h=10/m=00/PT1H.json',
  );
  put('cloudaudit.googleapis.com/activity/2024/05/01/10:00:00_10:59:59_S0.json');
  put('.git/config', 'not a log');
  put('.DS_Store', 'junk');

  it('should walk directories at any depth in name order at every level', async () => {
    const { files, issues } = await list([root]);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      files.map((f) => relative(root, f.path)),
      [
        'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/04/30/z.json.gz',
        'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/a.json.gz',
        'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/02/b.json.gz',
        'AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/2024/05/01/d.json.gz',
        'cloudaudit.googleapis.com/activity/2024/05/01/10:00:00_10:59:59_S0.json',
        'insights-activity-logs/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/y=2024/m=05/d=01/h=10/m=00/PT1H.json',
      ],
    );
    assert.equal(files[2]!.size, 2);
  });

  it('should report a missing path, naming it, and list the rest', async () => {
    const missing = join(root, 'nope');
    const { files, issues } = await list([
      missing,
      join(root, 'AWSLogs/123456789012/CloudTrail-Digest'),
    ]);
    assert.equal(files.length, 1);
    assert.deepEqual(
      issues.map((i) => [i.type, i.at.path]),
      [['unreadable_file', missing]],
    );
    assert.match(
      issues[0]!.message,
      /^Cannot read ".*nope": no such file or directory; check the path$/,
    );
  });

  it('should list standard input once, in the order given', async () => {
    const file = join(root, 'AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/01/a.json.gz');
    const { files } = await list(['-', file, '-', file, root]);
    assert.deepEqual(
      files.slice(0, 2).map((f) => f.path),
      ['-', file],
    );
    // The file already listed by name is not listed again from the directory.
    assert.equal(files.filter((f) => f.path.endsWith('a.json.gz')).length, 1);
  });

  it('should follow links without looping, and read a hidden file given by name', async () => {
    const loop = mkdtempSync(join(tmpdir(), 'haltwatch-loop-'));
    try {
      writeFileSync(join(loop, 'one.json'), '{}');
      symlinkSync(loop, join(loop, 'again'));
      symlinkSync(join(loop, 'gone.json'), join(loop, 'broken.json'));
      writeFileSync(join(loop, '.hidden.json'), '{}');
      const { files, issues } = await list([loop, join(loop, '.hidden.json')]);
      assert.deepEqual(
        files.map((f) => relative(loop, f.path)),
        ['one.json', '.hidden.json'],
      );
      assert.deepEqual(
        issues.map((i) => [i.type, relative(loop, i.at.path)]),
        [['unreadable_file', 'broken.json']],
      );
    } finally {
      rmSync(loop, { recursive: true, force: true });
    }
  });
});
