import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanStats } from '../pipeline/types.ts';
import { renderSummary } from './summary.ts';

const stats: ScanStats = {
  files: 3,
  filesFailed: 1,
  records: 1234,
  bytesRead: 5_000_000,
  bytesDecoded: 20_000_000,
  events: 9,
  stops: 4,
  issues: [
    {
      type: 'invalid_json',
      at: { path: 'a.jsonl', index: 4, line: 5 },
      message: 'Cannot parse JSON: Unexpected token',
    },
    {
      type: 'invalid_json',
      at: { path: 'a.jsonl', index: 7, line: 8 },
      message: 'Cannot parse JSON: Unexpected end',
    },
    {
      type: 'unknown_format',
      at: { path: 'notes.json', index: 0 },
      message: '"notes.json" is not a CloudTrail, Cloud Audit Logs or Activity Log export',
    },
  ],
  issueCounts: { invalid_json: 12, unknown_format: 1 },
  shapes: { 'aws-cloudtrail/s3-delivery': 1200, 'gcp-audit/log-entry': 34 },
  elapsedMs: 1500,
};

describe('renderSummary', () => {
  it('should give files, records, stops, shapes and each skip reason with its first locations', () => {
    const text = renderSummary(stats, { stopsShown: 2 });
    assert.match(
      text,
      /Read 3 files \(5\.00 MB, 20\.0 MB decoded\) in 1\.50 s: 1,234 records, 9 events, 4 stops/,
    );
    assert.match(text, /Shown after filters: 2 stops/);
    assert.match(text, /aws-cloudtrail\/s3-delivery 1,200/);
    assert.match(text, /invalid JSON \(invalid_json\): 12/);
    assert.match(text, /a\.jsonl:5: Cannot parse JSON/);
    assert.match(text, /a\.jsonl:8/);
    assert.match(text, /… and 10 more/);
    assert.match(text, /notes\.json#0: "notes\.json" is not a CloudTrail/);
    assert.match(text, /Skipped 13 records or files/);
  });

  it('should stay quiet about skips when nothing was skipped', () => {
    const text = renderSummary({ ...stats, issues: [], issueCounts: {}, filesFailed: 0 });
    assert.doesNotMatch(text, /Skipped/);
    assert.doesNotMatch(text, /Shown after filters/);
  });
});
