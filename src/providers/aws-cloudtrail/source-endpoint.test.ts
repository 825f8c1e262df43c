import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSource } from './source-endpoint.ts';

describe('readSource', () => {
  it('should take addresses as addresses, masked ones with leading zeros too', () => {
    assert.deepEqual(readSource('203.0.113.5', 'aws-cli/2.15.30'), {
      ip: '203.0.113.5',
      userAgent: 'aws-cli/2.15.30',
      clientKind: 'cli',
    });
    assert.equal(readSource('06.237.252.245', undefined).ip, '06.237.252.245');
    assert.equal(readSource('2001:db8::1', undefined).ip, '2001:db8::1');
  });

  it('should take service names and AWS Internal as a calling service', () => {
    assert.deepEqual(readSource('autoscaling.amazonaws.com', 'autoscaling.amazonaws.com'), {
      service: 'autoscaling.amazonaws.com',
      userAgent: 'autoscaling.amazonaws.com',
      clientKind: 'cloud_service',
    });
    assert.equal(readSource('AWS Internal', 'AWS Internal').service, 'AWS Internal');
  });

  it('should tell console agents from service agents', () => {
    assert.equal(readSource('1.2.3.4', 'console.ec2.amazonaws.com').clientKind, 'console');
    assert.equal(readSource('1.2.3.4', 'console.amazonaws.com').clientKind, 'console');
    assert.equal(readSource('1.2.3.4', '[S3Console/0.4]').clientKind, 'console');
    assert.equal(readSource('1.2.3.4', 'signin.amazonaws.com').clientKind, 'console');
    assert.equal(readSource('1.2.3.4', 'cloudformation.amazonaws.com').clientKind, 'cloud_service');
    assert.equal(readSource(undefined, undefined).clientKind, 'unknown');
  });
});
