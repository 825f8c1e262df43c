import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDirectory } from './directory-file.ts';

describe('parseDirectory', () => {
  it('should read `az ad sp list` JSON with both object id and app id', () => {
    const text = JSON.stringify([
      { id: 'o-1', appId: 'a-1', displayName: 'Backup App' },
      { id: 'o-2' },
    ]);
    const parsed = parseDirectory(text, 'sp.json');
    assert.deepEqual(parsed.entries, [
      { id: 'o-1', name: 'Backup App' },
      { id: 'a-1', name: 'Backup App' },
    ]);
    assert.equal(parsed.issues.length, 1);
    assert.equal(parsed.issues[0]?.at.index, 1);
  });

  it('should read a Graph page and JSON lines', () => {
    assert.equal(
      parseDirectory('{"value":[{"id":"u","userPrincipalName":"a@b"}]}', 'g.json').entries[0]?.name,
      'a@b',
    );
    assert.equal(
      parseDirectory('{"id":"1","displayName":"x"}\n{"id":"2","displayName":"y"}', 'l.jsonl')
        .entries.length,
      2,
    );
  });

  it('should read the portal CSV with quoted fields', () => {
    const csv =
      '\uFEFFObject ID,Display name,Application ID\r\n"o-9","Ops, ""night"" team",a-9\r\n,,\r\n';
    assert.deepEqual(parseDirectory(csv, 'e.csv').entries, [
      { id: 'o-9', name: 'Ops, "night" team' },
      { id: 'a-9', name: 'Ops, "night" team' },
    ]);
  });

  it('should never throw on arbitrary text, and keep names as given', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (noise, name) => {
        parseDirectory(noise, 'x');
        const clean = name.trim();
        const parsed = parseDirectory(JSON.stringify([{ id: 'p', displayName: name }]), 'x');
        if (clean) assert.deepEqual(parsed.entries, [{ id: 'p', name: clean }]);
        else assert.equal(parsed.entries.length, 0);
      }),
    );
  });
});
