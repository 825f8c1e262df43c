/**
 * Safe readers for untrusted JSON values. Azure writes the same field as a string, as a
 * `{value, localizedValue}` pair (CLI, SDK) or, in Log Analytics CSV exports, as JSON text
 * inside a string; these helpers flatten those differences and never throw.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A non-empty string, from a string, a number, or the `value` of a `{value, localizedValue}`
 * pair. Empty strings count as absent: Azure writes `""` for fields it has nothing for.
 */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isObject(value)) return text(value['value']);
  return undefined;
}

/**
 * An object, or an object written as JSON text (Log Analytics `Claims`, `Properties`,
 * `HTTPRequest` columns and CSV exports carry them as strings).
 */
export function object(value: unknown): JsonObject | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The value at a path of object keys, or `undefined` as soon as one step is missing. */
export function at(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    const container = object(current);
    if (!container || !Object.hasOwn(container, key)) return undefined;
    current = container[key];
  }
  return current;
}

const GUID = /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/i;

/**
 * GUID-shaped: 8-4-4-4-12 letters or digits. Deliberately looser than hex because
 * redacted published samples use ids such as `12345678-9abc-defg-hijk-lmnopqrstuvw`.
 */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
