import type { EpochMs } from '../model/index.ts';
import { toEpochMs } from '../model/index.ts';

/**
 * Where and when one record happened, at the grain coverage is counted: scope (AWS account,
 * GCP project, Azure subscription), region and the UTC hour. A part that cannot be read is
 * `unknown` (`UNKNOWN_HOUR` for the hour): the record is still counted, never dropped.
 */
export interface CoverageKey {
  readonly account: string;
  readonly region: string;
  /** Start of the UTC hour; `UNKNOWN_HOUR` when the record's time cannot be read. */
  readonly hour: EpochMs;
}

export const UNKNOWN = 'unknown';
/** The epoch itself stands for "no readable time": no audit record is from 1970. */
export const UNKNOWN_HOUR = 0 as EpochMs;
export const UNKNOWN_KEY: CoverageKey = { account: UNKNOWN, region: UNKNOWN, hour: UNKNOWN_HOUR };

const HOUR = 3_600_000;
/* Scope and region names are plain tokens; anything else is data we will not key on. */
const PLAIN = /^[A-Za-z0-9._:-]{1,128}$/;

/** `value` when it is a plain token (`[A-Za-z0-9._:-]`, at most 128), else `unknown`. */
export function plainValue(value: unknown): string {
  return typeof value === 'string' && PLAIN.test(value) ? value : UNKNOWN;
}

/** The start of the UTC hour of a timestamp (as `parse` reads it), or `UNKNOWN_HOUR`. */
export function hourOf(
  value: unknown,
  parse: (value: unknown) => EpochMs | undefined = toEpochMs,
): EpochMs {
  const ms = parse(value);
  if (ms === undefined || ms <= 0) return UNKNOWN_HOUR;
  return (Math.floor(ms / HOUR) * HOUR) as EpochMs;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The key is not in the record as a key. */
export const ABSENT = -1;
/** The key is there more than once (nested objects): bytes alone cannot say which is meant. */
export const AMBIGUOUS = -2;

/** `"key"` as bytes, built once per key by the extractors. */
export function keyPattern(key: string): Buffer {
  return Buffer.from(`"${key}"`, 'latin1');
}

/**
 * Where the value of object key `pattern` (from `keyPattern`) starts in one JSON document,
 * `ABSENT` or `AMBIGUOUS`. Only `bytes` is searched (pass a `subarray` view). In valid JSON
 * a quote with an even run of backslashes before it is a string boundary, so a match so
 * preceded and followed by a colon is a key, never text inside a string.
 */
export function findKeyValue(bytes: Buffer, pattern: Buffer): number {
  let found = ABSENT;
  for (let at = bytes.indexOf(pattern); at !== -1; at = bytes.indexOf(pattern, at + 1)) {
    let slashes = 0;
    while (at - slashes - 1 >= 0 && bytes[at - slashes - 1] === BACKSLASH) slashes++;
    if ((slashes & 1) === 1) continue;
    let next = at + pattern.length;
    while (isSpace(bytes[next])) next++;
    if (bytes[next] !== COLON) continue;
    if (found !== ABSENT) return AMBIGUOUS;
    next++;
    while (isSpace(bytes[next])) next++;
    found = next;
  }
  return found;
}

/**
 * The string value starting at `at` when it is ASCII without escapes (what `JSON.parse`
 * would give byte for byte), else `undefined`: not a string, escaped or non-ASCII text is
 * left to the parsed path so both always agree.
 */
export function readPlainString(bytes: Buffer, at: number): string | undefined {
  if (bytes[at] !== QUOTE) return undefined;
  const end = bytes.indexOf(QUOTE, at + 1);
  if (end === -1) return undefined;
  for (let k = at + 1; k < end; k++) {
    const c = bytes[k]!;
    if (c === BACKSLASH || c >= 0x80 || c < 0x20) return undefined;
  }
  return bytes.toString('latin1', at + 1, end);
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(bytes: Buffer, open: number): number {
  let q = open;
  for (;;) {
    q = bytes.indexOf(QUOTE, q + 1);
    if (q === -1) return -1;
    let k = q - 1;
    while (bytes[k] === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q;
  }
}

/**
 * The nesting depth at each of `positions` (ascending, each outside any string), in one
 * pass that visits only the bytes outside strings; `undefined` on broken JSON. A key found
 * once may still sit in a nested object while the record lacks it at the top: the depth
 * tells them apart without a parse.
 */
export function depthsAt(bytes: Buffer, positions: readonly number[]): number[] | undefined {
  const depths: number[] = [];
  let depth = 0;
  let i = 0;
  for (const target of positions) {
    for (; i < target; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        i = closingQuote(bytes, i);
        if (i === -1 || i >= target) return undefined;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) depth--;
    }
    depths.push(depth);
  }
  return depths;
}

/** The end (exclusive) of the object or array opening at `at`, or -1. */
export function valueEnd(bytes: Buffer, at: number): number {
  let depth = 0;
  for (let i = at; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = closingQuote(bytes, i);
      if (i === -1) return -1;
    } else if (c === LBRACE || c === LBRACKET) depth++;
    else if ((c === RBRACE || c === RBRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Plain string values of keys that must all sit at `depth` (1: the record's own members):
 * `null` for an allowed absent key, `undefined` as soon as bytes cannot settle one (absent
 * but required, repeated, at another depth, not a plain string).
 */
export function stringsAt(
  bytes: Buffer,
  keys: readonly { readonly pattern: Buffer; readonly required: boolean }[],
  depth: number,
): (string | null)[] | undefined {
  const found: { key: number; value: number; at: number }[] = [];
  for (let k = 0; k < keys.length; k++) {
    const value = findKeyValue(bytes, keys[k]!.pattern);
    if (value === AMBIGUOUS) return undefined;
    if (value === ABSENT) {
      if (keys[k]!.required) return undefined;
      continue;
    }
    // The key's opening quote: search back from the value over the colon and spaces.
    found.push({ key: k, value, at: bytes.lastIndexOf(keys[k]!.pattern, value) });
  }
  found.sort((a, b) => a.at - b.at);
  const depths = depthsAt(
    bytes,
    found.map((f) => f.at),
  );
  if (depths === undefined || depths.some((d) => d !== depth)) return undefined;
  const values: (string | null)[] = keys.map(() => null);
  for (const f of found) {
    const text = readPlainString(bytes, f.value);
    if (text === undefined) return undefined;
    values[f.key] = text;
  }
  return values;
}

/**
 * The string value of a key that must be there once (`required`) or may be missing: the
 * text, `null` when absent and allowed, `undefined` when bytes cannot decide.
 */
export function stringAt(
  bytes: Buffer,
  pattern: Buffer,
  required: boolean,
): string | null | undefined {
  const at = findKeyValue(bytes, pattern);
  if (at === AMBIGUOUS) return undefined;
  if (at === ABSENT) return required ? undefined : null;
  return readPlainString(bytes, at);
}
