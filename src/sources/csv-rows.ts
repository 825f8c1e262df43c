import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { RecordIssue } from '../model/index.ts';
import type { NeedleSet, RawDocument } from './types.ts';

const BATCH = 1000;

export interface CsvBatch {
  readonly documents: RawDocument[];
  readonly skipped: number;
  readonly issues: RecordIssue[];
}

interface ParsedRow {
  readonly record: Record<string, string>;
  readonly raw: string;
  readonly info: { readonly lines: number; readonly records: number };
}

/**
 * Rows of a CSV table with a header row (a Log Analytics `AzureActivity` export) as
 * documents whose `value` maps each header to the cell text. A malformed row is an issue
 * and the next row is read; the needles are looked for in the row's raw text.
 *
 * @example
 * for await (const batch of csvRows('activity.csv', chunks)) console.log(batch.documents.length);
 */
export async function* csvRows(
  path: string,
  chunks: AsyncIterable<Buffer>,
  needles?: NeedleSet,
): AsyncGenerator<CsvBatch> {
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
  });
  let issues: RecordIssue[] = [];
  parser.on('skip', (error: Error & { lines?: number; records?: number }) => {
    const line = error.lines ?? 0;
    issues.push({
      type: 'wrong_shape',
      at: { path, index: error.records ?? 0, line },
      message: `Cannot read "${path}": CSV row at line ${line} is malformed (${error.message}); the row was skipped`,
    });
  });
  const input = Readable.from(chunks);
  input.once('error', (error) => parser.destroy(error));
  input.pipe(parser);
  const texts = needles?.needles ?? [];
  const anyCase = needles?.anyCase ?? false;
  const wanted = anyCase ? texts.map(lowerAscii) : texts;
  const filter = texts.length > 0 && texts.every((n) => n.length > 0);
  let documents: RawDocument[] = [];
  let skipped = 0;
  let index = 0;
  try {
    for await (const row of parser as AsyncIterable<ParsedRow>) {
      const current = index++;
      const raw = anyCase ? lowerAscii(row.raw) : row.raw;
      if (filter && current > 0 && !wanted.some((needle) => raw.includes(needle))) {
        skipped++;
      } else {
        documents.push({ at: { path, index: current, line: startLine(row) }, value: row.record });
      }
      if (documents.length + skipped >= BATCH) {
        yield { documents, skipped, issues };
        documents = [];
        skipped = 0;
        issues = [];
      }
    }
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('CSV_')) {
      throw error;
    }
    const line = (error as { lines?: number }).lines;
    issues.push({
      type: 'wrong_shape',
      at: { path, index, line },
      message: `Cannot read "${path}": CSV is malformed at line ${line ?? '?'} (${error.message}); the rest of the file was skipped`,
    });
  } finally {
    input.destroy();
  }
  yield { documents, skipped, issues };
}

/** csv-parse counts the line where a row ends; a quoted cell may hold line breaks. */
function startLine(row: ParsedRow): number {
  const body = row.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  let breaks = 0;
  for (let k = body.indexOf('\n'); k !== -1; k = body.indexOf('\n', k + 1)) breaks++;
  return row.info.lines - breaks;
}

/** ASCII letters in lower case and nothing else changed, as the byte search folds them. */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
