/**
 * Recognises what a file holds from its first decoded bytes, never from its name: JSON
 * (object or array), a CSV table with a header row, binary data, or something else.
 */

export type Sniffed =
  | { readonly kind: 'json' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'binary'; readonly what: string }
  | { readonly kind: 'unknown'; readonly what: string };

/** Compressed and archive formats people put next to their logs, by their magic bytes. */
const MAGIC: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive; unzip it and scan the folder'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed data; decompress it with bunzip2 first'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data; decompress it with unxz first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data; decompress it with unzstd first'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive; extract it and scan the folder'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file; export the table as JSON or CSV first'],
];

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Index of the first byte that is not whitespace, or -1. */
export function firstContentByte(b: Buffer, from = 0): number {
  for (let i = from; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return -1;
}

/** `head` is the start of the decoded bytes, `start` its first content byte. */
export function sniffFormat(head: Buffer, start: number): Sniffed {
  for (const [magic, what] of MAGIC) {
    if (magic.every((byte, k) => head[start + k] === byte)) return { kind: 'binary', what };
  }
  const window = head.subarray(start, start + 8192);
  if (window.includes(0)) {
    return { kind: 'binary', what: 'binary data, not text; check that this is a log export' };
  }
  const first = head[start];
  if (first === 0x7b || first === 0x5b) return { kind: 'json' };
  if (first === 0x22 || first === 0x2d || (first! >= 0x30 && first! <= 0x39)) {
    const sample = head.subarray(start, start + 24).toString('utf8');
    return {
      kind: 'unknown',
      what: `a bare JSON value (${JSON.stringify(sample)}), not records in an object or array`,
    };
  }
  let stop = head.indexOf(0x0a, start);
  if (stop === -1) stop = Math.min(head.length, start + 65536);
  const line = head.subarray(start, stop).toString('utf8').replace(/\r$/, '');
  if (looksLikeCsvHeader(line)) return { kind: 'csv' };
  return {
    kind: 'unknown',
    what: `not JSON, JSON lines or CSV with a header (it starts with ${JSON.stringify(line.slice(0, 24))}); haltwatch reads CloudTrail, Google Cloud audit log and Azure Activity Log exports`,
  };
}

function looksLikeCsvHeader(line: string): boolean {
  const names = line.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  return (
    names.length >= 2 &&
    names.every(
      (name) => name.length > 0 && name.length <= 128 && /^[\p{L}\p{N}_ .@\[\]()/:-]+$/u.test(name),
    )
  );
}
