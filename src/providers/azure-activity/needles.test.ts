import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { corpusPath } from '../../../test/corpus.ts';
import { isStopAction } from '../../model/index.ts';
import { fixturePath, readDocuments } from './_test-read.ts';
import { MultiNeedleSearch } from '../../sources/multi-needle-search.ts';
import { azureActivity } from './index.ts';
import { ALL_NEEDLES, STOP_NEEDLES } from './needles.ts';

/** Whether the scanner's search, folding case as the provider asks, finds a needle in `text`. */
function holds(text: string, needles: readonly string[]): boolean {
  const search = new MultiNeedleSearch(
    needles.map((needle) => Buffer.from(needle)),
    { anyCase: azureActivity.needles.anyCase },
  );
  let found = false;
  search.search(Buffer.from(text), () => (found = true));
  return found;
}

/* Each document as the framer sees it: its raw bytes, and what the provider makes of it. */
function documents(): { text: string; path: string }[] {
  const out: { text: string; path: string }[] = [];
  for (const name of [
    'export-records-deallocate.json',
    'az-activity-log-list.json',
    'rest-page-service-principal.json',
    'log-analytics-query.json',
  ]) {
    const path = fixturePath(name);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown[]> | unknown[];
    // The framer splits wrappers: test each record's own bytes, the harder case.
    const inner = Array.isArray(doc) ? doc : (doc['records'] ?? doc['value']);
    if (inner) for (const record of inner) out.push({ text: JSON.stringify(record), path });
    else out.push({ text: JSON.stringify(doc), path });
  }
  for (const path of [
    fixturePath('PT1H.json'),
    fixturePath('log-analytics-rows.jsonl'),
    corpusPath('azure/plaso/azure_activity_log.jsonl'),
  ]) {
    for (const line of readFileSync(path, 'utf8').split('\n'))
      if (line.trim() !== '') out.push({ text: line, path });
  }
  return out;
}

describe('needles', () => {
  const docs = documents();

  it('should be present in every document that yields a stop, and every one that yields an event', () => {
    let stops = 0;
    let events = 0;
    for (const { text, path } of docs) {
      const read = readDocuments([JSON.parse(text) as unknown], path);
      if (read.events.some((e) => isStopAction(e.action))) {
        stops += 1;
        assert.ok(holds(text, STOP_NEEDLES), `no stop needle in ${text.slice(0, 120)}`);
      }
      if (read.events.length > 0) {
        events += 1;
        assert.ok(holds(text, ALL_NEEDLES), `no needle in ${text.slice(0, 120)}`);
      }
    }
    assert.ok(stops >= 12 && events > stops, `${stops} stop documents, ${events} event documents`);
  });

  it('should match operation names in any letter case', () => {
    assert.equal(azureActivity.needles.anyCase, true);
    for (const name of [
      'Microsoft.Compute/virtualMachines/deallocate/action',
      'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION',
      'Deallocate',
      'DeAllocate',
      'powerOff',
      'POWERoff',
      'poweroff',
      'Power Off Virtual Machine',
      'pOwEr OfF',
    ]) {
      assert.ok(holds(name, STOP_NEEDLES), name);
      assert.ok(holds(name, ALL_NEEDLES), name);
    }
    assert.ok(holds('Microsoft.Compute/VirtualMachineScaleSets/write', ALL_NEEDLES));
    assert.ok(!holds('Microsoft.Compute/virtualMachines/start/action', STOP_NEEDLES));
    for (const needle of STOP_NEEDLES) assert.ok(ALL_NEEDLES.includes(needle), needle);
  });

  it('should not end with a quote, so escaped JSON inside JSON still matches', () => {
    for (const needle of ALL_NEEDLES) assert.ok(!needle.endsWith('"'), needle);
  });

  it('should skip the corpus records that yield no stop', () => {
    // Disk and VM delete/write records mention no stop operation: the prefilter may skip them.
    const lines = readFileSync(corpusPath('azure/plaso/azure_activity_log.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    for (const line of lines) assert.ok(!holds(line, STOP_NEEDLES));
  });
});
