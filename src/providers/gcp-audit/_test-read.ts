import { readFileSync } from 'node:fs';
import type { AuditEvent, RecordIssue } from '../../model/index.ts';
import { normalize } from './normalize.ts';
import { unwrap } from './unwrap.ts';

/** One parsed JSON document of a test file, with where it was. */
export interface TestDocument {
  readonly value: unknown;
  readonly index: number;
  readonly line: number;
}

/**
 * Reads a test file as the framer would hand it over: JSON lines one document a line, a
 * `.json` file as one document. Tests only; the real framer streams.
 */
export function readDocuments(path: string): TestDocument[] {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) return [{ value: JSON.parse(text) as unknown, index: 0, line: 1 }];
  const documents: TestDocument[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '')
      documents.push({ value: JSON.parse(line) as unknown, index: documents.length, line: i + 1 });
  });
  return documents;
}

export interface TestScan {
  readonly events: AuditEvent[];
  readonly issues: RecordIssue[];
  /** Shape name per document, `none` when unwrap did not recognise it. */
  readonly shapes: string[];
}

/** Unwraps and normalizes every document of a file, as the pipeline does. */
export function scanTestFile(path: string): TestScan {
  const scan: TestScan = { events: [], issues: [], shapes: [] };
  for (const doc of readDocuments(path)) {
    const found = unwrap(doc.value, {});
    scan.shapes.push(found?.shape ?? 'none');
    if (found?.kind !== 'records') continue;
    found.records.forEach((record, member) => {
      const at = {
        path,
        index: doc.index,
        line: doc.line,
        ...(found.records.length > 1 ? { member } : {}),
      };
      const result = normalize(record, at);
      scan.events.push(...result.events);
      if (result.issue) scan.issues.push(result.issue);
    });
  }
  return scan;
}
