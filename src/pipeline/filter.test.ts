import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.ts';
import type { EpochMs } from '../model/index.ts';
import { matchesEvent, matchesStop, parseFilter, parseTimeBound } from './filter.ts';
import { sampleEvent, sampleStop } from './_sample.ts';

const NOW = Date.parse('2024-08-10T00:00:00Z') as EpochMs;

describe('parseTimeBound', () => {
  it('should read ISO times, bare dates as UTC and relative durations', () => {
    assert.equal(parseTimeBound('2024-08-01', 'since', NOW), Date.parse('2024-08-01T00:00:00Z'));
    assert.equal(
      parseTimeBound('2024-08-01T12:00:00', 'since', NOW),
      Date.parse('2024-08-01T12:00:00Z'),
    );
    assert.equal(
      parseTimeBound('2024-08-01T12:00:00+02:00', 'since', NOW),
      Date.parse('2024-08-01T10:00:00Z'),
    );
    assert.equal(parseTimeBound('7d', 'since', NOW), NOW - 7 * 86_400_000);
    assert.equal(parseTimeBound('12h', 'since', NOW), NOW - 12 * 3_600_000);
    assert.equal(parseTimeBound('30m', 'since', NOW), NOW - 30 * 60_000);
    assert.equal(parseTimeBound('2w', 'since', NOW), NOW - 14 * 86_400_000);
  });

  it('should reject text that is no time with a usage error naming the option', () => {
    for (const bad of ['yesterday', '7x', '', '2024-13-45', 'd7']) {
      assert.throws(
        () => parseTimeBound(bad, 'until', NOW),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, /--until/);
          return true;
        },
      );
    }
  });
});

describe('parseFilter', () => {
  it('should accept provider component names and reject unknown ones', () => {
    assert.equal(parseFilter({ provider: 'aws-cloudtrail' }, NOW).provider, 'aws');
    assert.equal(parseFilter({ provider: 'GCP' }, NOW).provider, 'gcp');
    assert.throws(() => parseFilter({ provider: 'oracle' }, NOW), UsageError);
  });

  it('should reject a window whose start is after its end', () => {
    assert.throws(() => parseFilter({ since: '2024-08-02', until: '2024-08-01' }, NOW), UsageError);
  });
});

describe('matchesStop', () => {
  const stop = sampleStop({
    instance: { type: 'instance', uid: 'i-0abc123', name: 'web-prod-1' },
    actor: {
      type: 'assumed_role',
      id: 'arn:aws:sts::1:assumed-role/Admin/alice',
      name: 'Admin/alice',
      session: { name: 'alice', issuer: 'arn:aws:iam::1:role/Admin', sourceIdentity: 'alice@corp' },
      chain: [{ type: 'user', id: 'arn:aws:iam::1:user/bob', name: 'bob', via: 'assume_role' }],
    },
  });

  it('should keep stops inside the time window, bounds included', () => {
    assert.equal(matchesStop(stop, parseFilter({ since: '2024-08-01T12:03:30Z' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ until: '2024-08-01T12:03:30Z' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ since: '2024-08-01T12:03:31Z' }, NOW)), false);
    assert.equal(matchesStop(stop, parseFilter({ until: '2024-08-01T12:03:29Z' }, NOW)), false);
  });

  it('should match provider and account exactly', () => {
    assert.equal(matchesStop(stop, parseFilter({ provider: 'aws' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ provider: 'azure' }, NOW)), false);
    assert.equal(matchesStop(stop, parseFilter({ account: '309303190113' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ account: '30930319' }, NOW)), false);
  });

  it('should match the instance by id or name substring, case ignored', () => {
    assert.equal(matchesStop(stop, parseFilter({ instance: 'I-0ABC' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ instance: 'web-prod' }, NOW)), true);
    assert.equal(matchesStop(stop, parseFilter({ instance: 'db-' }, NOW)), false);
  });

  it('should match the actor by id, session, source identity or a hop of the chain', () => {
    for (const actor of ['alice', 'role/admin', 'alice@corp', 'bob', 'ADMIN', 'adm*']) {
      assert.equal(matchesStop(stop, parseFilter({ actor }, NOW)), true, actor);
    }
    // Whole words: a name that merely contains the text is someone else.
    for (const actor of ['mallory', 'ali', 'lice', 'bo']) {
      assert.equal(matchesStop(stop, parseFilter({ actor }, NOW)), false, actor);
    }
  });
});

describe('matchesEvent', () => {
  it('should match the instance against any target of the event', () => {
    const event = sampleEvent({
      targets: [
        { type: 'instance', uid: 'i-1' },
        { type: 'instance', uid: 'i-2' },
      ],
    });
    assert.equal(matchesEvent(event, parseFilter({ instance: 'i-2' }, NOW)), true);
    assert.equal(matchesEvent(event, parseFilter({ instance: 'i-3' }, NOW)), false);
  });

  it('should never match an actor filter when the log gives no actor', () => {
    const event = sampleEvent({ actor: { type: 'unknown', chain: [], gap: 'authenticationInfo' } });
    assert.equal(matchesEvent(event, parseFilter({ actor: 'auth' }, NOW)), false);
  });
});
