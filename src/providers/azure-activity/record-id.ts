import { createHash } from 'node:crypto';

/* Sorted keys so the same record read from two overlapping exports hashes the same. */
function canonical(value: unknown, depth: number): string {
  if (depth > 64) return '"…"';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) =>
          `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], depth + 1)}`,
      );
    return `{${entries.join(',')}}`;
  }
  if (typeof value === 'bigint') return `"${value.toString()}n"`;
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : json;
}

/**
 * `azure:<eventDataId>`, or, for records that carry none (storage exports), `azure:h<hash>`
 * of the record's content: stable across runs and across re-reads of the same record.
 *
 * @example
 * recordId('648230f9-fba4-4def-8a83-118b158b748a', record); // 'azure:648230f9-fba4-4def-8a83-118b158b748a'
 */
export function recordId(eventDataId: string | undefined, record: unknown): string {
  if (eventDataId !== undefined) return `azure:${eventDataId.toLowerCase()}`;
  const digest = createHash('sha256').update(canonical(record, 0)).digest('hex');
  return `azure:h${digest.slice(0, 24)}`;
}
