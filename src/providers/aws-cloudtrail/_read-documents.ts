import { readFileSync } from 'node:fs';
import type { AuditEvent, RecordIssue } from '../../model/index.ts';
import type { Provider } from '../provider.ts';

/** What one file gave when read the simple way tests read it. */
export interface FileReading {
  readonly events: AuditEvent[];
  readonly issues: RecordIssue[];
  /** Shape names `unwrap` reported, one per document. */
  readonly shapes: string[];
  /** Documents `unwrap` did not recognise, by 0-based index. */
  readonly unrecognised: number[];
  /** Records handed to `normalize`. */
  readonly records: unknown[];
}

/**
 * Parses a whole JSON file, or JSON lines when that fails, and feeds every document to
 * `unwrap` and every record to `normalize`. For tests only: the real framer streams and
 * is written elsewhere; this keeps provider tests independent of it.
 *
 * @example
 * const { events } = readDocuments(awsCloudTrail, 'testdata/hibernate.json');
 */
export function readDocuments(provider: Provider, path: string): FileReading {
  const text = readFileSync(path, 'utf8');
  let documents: unknown[];
  try {
    documents = [JSON.parse(text)];
  } catch {
    documents = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }
  const reading: FileReading = {
    events: [],
    issues: [],
    shapes: [],
    unrecognised: [],
    records: [],
  };
  documents.forEach((document, index) => {
    const unwrapped = provider.unwrap(document, {});
    if (!unwrapped) {
      reading.unrecognised.push(index);
      return;
    }
    reading.shapes.push(unwrapped.shape);
    if (unwrapped.kind !== 'records') return;
    unwrapped.records.forEach((record, member) => {
      reading.records.push(record);
      const result = provider.normalize(record, { path, index, member });
      reading.events.push(...result.events);
      if (result.issue) reading.issues.push(result.issue);
    });
  });
  return reading;
}
