import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  instancePath,
  parseResourceName,
  projectOfLogName,
  regionOfZone,
} from './resource-name.ts';

describe('resource names', () => {
  it('should read instance paths in their three forms', () => {
    const expected = { project: 'p', zone: 'us-central1-a', instance: 'vm-1' };
    assert.deepEqual(parseResourceName('projects/p/zones/us-central1-a/instances/vm-1'), expected);
    assert.deepEqual(
      parseResourceName(
        'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/instances/vm-1',
      ),
      expected,
    );
    assert.deepEqual(parseResourceName('zones/us-central1-a/instances/vm-1'), {
      zone: 'us-central1-a',
      instance: 'vm-1',
    });
    assert.equal(
      instancePath(parseResourceName('zones/z-1/instances/i'), 'p'),
      'projects/p/zones/z-1/instances/i',
    );
    assert.equal(instancePath(parseResourceName('zones/z-1'), 'p'), undefined);
  });

  it('should derive regions from zones and projects from log names', () => {
    assert.equal(regionOfZone('us-central1-a'), 'us-central1');
    assert.equal(regionOfZone('europe-west4-b'), 'europe-west4');
    assert.equal(regionOfZone('global'), undefined);
    assert.equal(regionOfZone(undefined), undefined);
    assert.equal(
      projectOfLogName('projects/acme/logs/cloudaudit.googleapis.com%2Factivity'),
      'acme',
    );
    assert.equal(projectOfLogName('organizations/1/logs/x'), undefined);
  });
});
