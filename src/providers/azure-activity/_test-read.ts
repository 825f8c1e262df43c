import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { AuditEvent, RecordIssue } from '../../model/index.ts';
import type { Unwrapped } from '../provider.ts';
import { normalize } from './normalize.ts';
import { unwrap } from './unwrap.ts';

/** Test helper: what a scan of one document or file would hand on, through the provider alone. */
export interface Read {
  readonly shapes: string[];
  readonly records: number;
  readonly events: AuditEvent[];
  readonly issues: RecordIssue[];
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
}

export function readDocuments(
  documents: readonly unknown[],
  path: string,
  container?: string,
): Read {
  const read: Read = { shapes: [], records: 0, events: [], issues: [] };
  documents.forEach((doc, index) => {
    const found: Unwrapped | undefined = unwrap(doc, container !== undefined ? { container } : {});
    if (!found || found.kind !== 'records') return;
    read.shapes.push(found.shape);
    found.records.forEach((record, member) => {
      (read as { records: number }).records += 1;
      const result = normalize(record, { path, index, member });
      read.events.push(...result.events);
      if (result.issue) read.issues.push(result.issue);
    });
  });
  return read;
}

/** A `.json` file is one document; `.jsonl` and `PT1H.json` are one document per line. */
export function readFile(path: string, lines: boolean): Read {
  const text = readFileSync(path, 'utf8');
  const documents = lines
    ? text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line): unknown => JSON.parse(line))
    : [JSON.parse(text) as unknown];
  return readDocuments(documents, path);
}

/** A CSV export as the framer hands it over: one object per row, every value a string. */
export function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
}
