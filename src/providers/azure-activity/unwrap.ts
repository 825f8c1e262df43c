import type { Unwrapped } from '../provider.ts';
import { isObject } from './_values.ts';
import {
  ExportWrapperSchema,
  QueryResponseSchema,
  QueryTableSchema,
  RestPageSchema,
  type QueryTable,
} from './raw-schema.ts';
import { detectShape, type RecordShape } from './shape.ts';

/** Zips a query API table's columns with each row: one plain object per row. */
export function zipTable(table: QueryTable): Record<string, unknown>[] {
  return table.rows.map((row) => {
    const record: Record<string, unknown> = {};
    table.columns.forEach((column, index) => {
      record[column.name] = row[index];
    });
    return record;
  });
}

/** The shape of the first element that has one: wrappers hold one shape throughout. */
function firstShape(records: readonly unknown[]): RecordShape | undefined {
  for (const record of records.slice(0, 16)) {
    const shape = detectShape(record);
    if (shape) return shape;
  }
  return undefined;
}

function ofRecords(records: readonly unknown[], fallback: string): Unwrapped | undefined {
  const shape = firstShape(records);
  if (shape) return { kind: 'records', shape, records };
  return records.length === 0 ? { kind: 'records', shape: fallback, records } : undefined;
}

/**
 * Recognises an Azure Activity Log document: a whole wrapper (`{"records":[...]}`,
 * `{"value":[...]}`, a query API `{"tables":[...]}`, a JSON array) or one record the framer
 * already cut out of one (`container` then names the wrapper key). Returns `undefined` for
 * anything else, so other providers get their turn.
 *
 * @example
 * unwrap({ records: [exportRecord] }, {}); // { kind: 'records', shape: 'azure-export', records: [...] }
 */
export function unwrap(doc: unknown, hint: { readonly container?: string }): Unwrapped | undefined {
  if (Array.isArray(doc)) {
    const shape = firstShape(doc);
    return shape ? { kind: 'records', shape, records: doc } : undefined;
  }
  if (!isObject(doc)) return undefined;
  const single = detectShape(doc);
  if (single) return { kind: 'records', shape: single, records: [doc] };

  const exported = ExportWrapperSchema.safeParse(doc);
  if (exported.success) return ofRecords(exported.data.records, 'azure-export');
  const page = RestPageSchema.safeParse(doc);
  if (page.success) {
    // An empty `value` alone is too common a JSON shape to claim; a `nextLink` makes it ours.
    const unwrapped = ofRecords(page.data.value, 'azure-cli');
    if (unwrapped && (page.data.value.length > 0 || page.data.nextLink !== undefined))
      return unwrapped;
    return undefined;
  }
  const query = QueryResponseSchema.safeParse(doc);
  if (query.success) return ofRecords(query.data.tables.flatMap(zipTable), 'azure-log-analytics');
  // The framer may have split `tables` (`hint.container`) and handed over one table.
  const table = QueryTableSchema.safeParse(doc);
  if (table.success && (table.data.rows.length > 0 || hint.container === 'tables')) {
    return ofRecords(zipTable(table.data), 'azure-log-analytics');
  }
  return undefined;
}
