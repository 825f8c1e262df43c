/**
 * Any value from a log as text, without ever throwing. `String(value)` throws on an object
 * whose `toString` is not a function, and `JSON.parse('{"toString":0}')` makes exactly that:
 * a record can carry one wherever a string was expected. Objects and arrays are written as
 * JSON instead (which reads own data, never methods).
 *
 * @example
 * safeText(JSON.parse('{"toString":0}')); // '{"toString":0}'
 */
export function safeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // A cycle or a BigInt inside: nothing a parsed log holds, but still no throw.
    return Array.isArray(value) ? '[array]' : '[object]';
  }
}
