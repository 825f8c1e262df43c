import { isObject, setOwn } from './_access.ts';

/**
 * Everything in `value` that no mapped path covers, keyed by dotted path
 * (`userIdentity.principalId`, `tlsDetails`). A consumed path takes its whole subtree; an
 * object holding consumed paths is walked so its other members are still kept. `null`,
 * and empty objects and arrays, say nothing and are left out.
 *
 * @example
 * collectUnmapped({ a: 1, b: { c: 2, d: 3 } }, new Set(['b.c'])); // { a: 1, 'b.d': 3 }
 */
export function collectUnmapped(
  value: Readonly<Record<string, unknown>>,
  consumed: ReadonlySet<string>,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    const member = value[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (consumed.has(path) || isEmpty(member)) continue;
    if (isObject(member) && holdsConsumed(consumed, path))
      collectUnmapped(member, consumed, path, out);
    else setOwn(out, path, member);
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

function holdsConsumed(consumed: ReadonlySet<string>, path: string): boolean {
  const start = `${path}.`;
  for (const item of consumed) if (item.startsWith(start)) return true;
  return false;
}
