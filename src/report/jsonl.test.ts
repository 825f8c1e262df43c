import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleEvent, sampleStop } from '../pipeline/_sample.ts';
import { jsonLines } from './jsonl.ts';

describe('jsonLines', () => {
  it('should write stops then events, one JSON object per line with ISO times', () => {
    const hostile = sampleStop({
      source: { ip: '1.1.1.1', userAgent: 'x\n{"record":"stop"}\r', clientKind: 'unknown' },
    });
    const lines = [...jsonLines([hostile], [sampleEvent()])].join('').split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 2);
    const [stop, event] = lines.map((line) => JSON.parse(line));
    assert.equal(stop.record, 'stop');
    assert.equal(stop.time, '2024-08-01T12:03:30.000Z');
    assert.equal(stop.instance.uid, 'i-0abc');
    assert.equal(stop.source.userAgent, 'x\n{"record":"stop"}\r');
    assert.equal(event.record, 'event');
    assert.equal(event.operation, 'StopInstances');
  });
});
