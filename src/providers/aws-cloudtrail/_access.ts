/**
 * Safe reads over parsed JSON that is still `unknown`. CloudTrail nests optional objects
 * several levels deep and leaves any of them `null`; these helpers let a reader walk a path
 * without a chain of type guards, and without ever throwing.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `keys` below `value`, or `undefined` when any step is missing. */
export function dig(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A non-empty string at `keys`, else `undefined`. */
export function digString(value: unknown, ...keys: readonly string[]): string | undefined {
  const found = dig(value, ...keys);
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

/** The objects of an array at `keys`; non-object items are skipped. */
export function digObjects(value: unknown, ...keys: readonly string[]): JsonObject[] {
  const found = dig(value, ...keys);
  return Array.isArray(found) ? found.filter(isObject) : [];
}

/**
 * CloudTrail writes booleans both ways (`"mfaAuthenticated": "false"`, `"force": true`).
 * Returns `undefined` for anything that is neither.
 */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Drops `undefined` members, so events carry only what the log said. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
  return out as T;
}

/**
 * Sets an own property even for the key `__proto__`, which `JSON.parse` produces as an
 * ordinary member but plain assignment would turn into a prototype change.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Only that one key needs it: defining every property this way is several times slower.
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
