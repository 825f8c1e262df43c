import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { corpusDir } from '../../../test/corpus.ts';
import { isStopAction } from '../../model/index.ts';
import { readDocuments } from './_read-documents.ts';
import { awsCloudTrail } from './index.ts';

// The scanner skips JSON.parse for records holding no needle: a needle that misses a
// record it should match silently loses evidence, so every real and fixture record is checked.

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.jsonl?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const files = [
  ...jsonFiles(join(corpusDir, 'aws')),
  ...jsonFiles(fileURLToPath(new URL('testdata/', import.meta.url))),
];

function holdsAny(text: string, needles: readonly string[]): boolean {
  return needles.some((needle) => text.includes(needle));
}

describe('awsCloudTrail needles', () => {
  it('should be found in every record that yields an event, and stop needles in every stop', () => {
    let stops = 0;
    let events = 0;
    for (const file of files) {
      for (const record of readDocuments(awsCloudTrail, file).records) {
        const result = awsCloudTrail.normalize(record, { path: file, index: 0 });
        // The framer sees the bytes; JSON text of the record stands in for them.
        const text = JSON.stringify(record);
        for (const event of result.events) {
          events += 1;
          assert.ok(
            holdsAny(text, awsCloudTrail.needles.all),
            `${file}: ${event.operation} has no needle`,
          );
          if (isStopAction(event.action)) {
            stops += 1;
            assert.ok(
              holdsAny(text, awsCloudTrail.needles.stops),
              `${file}: stop has no stop needle`,
            );
          }
        }
      }
    }
    assert.ok(stops >= 8 && events >= 40, `checked ${stops} stops in ${events} events`);
  });

  it('should not match an IAM policy that allows ec2:StopInstances', () => {
    const policy = JSON.stringify({
      eventName: 'PutRolePolicy',
      requestParameters: {
        policyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: ['ec2:StopInstances'], Resource: '*' }],
        }),
      },
    });
    assert.equal(holdsAny(policy, awsCloudTrail.needles.stops), false);
    assert.equal(holdsAny(policy, awsCloudTrail.needles.all), false);
  });

  it('should never end a needle with a quote, so escaped JSON inside strings matches', () => {
    for (const needle of [...awsCloudTrail.needles.all, ...awsCloudTrail.needles.stops]) {
      assert.ok(!needle.endsWith('"'), needle);
    }
    assert.ok(
      holdsAny(
        JSON.stringify({ CloudTrailEvent: '{"eventName":"StopInstances"}' }),
        awsCloudTrail.needles.stops,
      ),
    );
  });
});
