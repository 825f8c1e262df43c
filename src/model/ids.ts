/**
 * Branded scalars. A brand makes the compiler tell an epoch from a count and a cloud
 * account from a free string; only the constructors here (or a zod schema) create them.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Milliseconds since the Unix epoch, UTC. */
export type EpochMs = Brand<number, 'EpochMs'>;

/**
 * Parses a provider timestamp (ISO 8601 with `Z` or an offset, or epoch ms) to `EpochMs`.
 * Returns `undefined` for anything that is not a real instant, so callers report the field.
 *
 * @example
 * toEpochMs('2024-08-01T12:03:30Z'); // 1722513810000
 */
export function toEpochMs(value: unknown): EpochMs | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? (value as EpochMs) : undefined;
  if (typeof value !== 'string' || value.length < 10) return undefined;
  // `2022-02-08 09:23:03+11:00` (aws cli) is ISO with a space; Date.parse accepts it in V8.
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? (ms as EpochMs) : undefined;
}

/** ISO 8601 text of an epoch, the one time format haltwatch prints. */
export function isoTime(ms: EpochMs): string {
  return new Date(ms).toISOString();
}
