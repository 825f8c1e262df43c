import { SimdPairSearch } from './_simd-pair-search.ts';

/**
 * Finds every occurrence of many byte strings in one pass (Wu–Manber over two-byte
 * blocks). The providers together bring a dozen or more needles; one native
 * `Buffer.indexOf` pass per needle would read each chunk that many times, while this loop
 * jumps by up to the shortest needle's length and looks closely only where the last two
 * bytes of a window end some needle's prefix. With one or two needles, or a needle of one
 * byte, the native search is faster and is used instead. Pieces of 4 KiB and more go to a
 * WebAssembly SIMD search (`_simd-pair-search.ts`) where it runs, several times faster
 * than either; these searches remain for small pieces and as its fallback.
 *
 * With `anyCase`, ASCII letters match in either case (`deallocate` finds `DeAllocate`): the
 * bytes are folded to lower case through a table as they are read, never copied.
 */
export class MultiNeedleSearch {
  readonly #needles: readonly Buffer[];
  /** Byte → the byte compared: itself, or lower case when letters match in either case. */
  readonly #fold: Uint8Array;
  /** Shortest needle length: the window the shift table is built on. */
  readonly #window: number;
  readonly #shift: Uint8Array | undefined;
  /** Needles whose window ends with a given block, as index lists in one flat array. */
  readonly #bucketStart: Int32Array | undefined;
  readonly #bucketNeedles: Int32Array | undefined;
  /** The SIMD search that takes large pieces, where WebAssembly SIMD runs. */
  readonly #simd: SimdPairSearch | undefined;

  constructor(needles: readonly Buffer[], options: { readonly anyCase?: boolean } = {}) {
    const fold = options.anyCase ? LOWER : SAME;
    this.#fold = fold;
    needles = needles.map((needle) =>
      options.anyCase ? Buffer.from(needle.map((b) => fold[b]!)) : needle,
    );
    this.#needles = needles;
    this.#window = Math.min(...needles.map((needle) => needle.length));
    this.#simd = SimdPairSearch.create(needles, fold, options.anyCase === true);
    // The native search compares bytes exactly: folding needs the table-driven loop.
    if ((needles.length <= 2 && !options.anyCase) || this.#window < 2) {
      this.#shift = undefined;
      this.#bucketStart = undefined;
      this.#bucketNeedles = undefined;
      return;
    }
    const m = this.#window;
    const maxShift = Math.min(255, m - 1);
    // The shift table is keyed by a 12-bit hash of the two bytes so that it stays in the
    // first-level cache: the skip loop waits on this lookup at every jump. Colliding blocks
    // share the smaller shift, which only costs a few more candidates.
    const shift = new Uint8Array(4096).fill(maxShift);
    const buckets = new Map<number, number[]>();
    needles.forEach((needle, k) => {
      for (let j = 1; j < m; j++) {
        const block = needle[j - 1]! | (needle[j]! << 8);
        const key = blockHash(needle[j - 1]!, needle[j]!);
        const distance = m - 1 - j;
        if (distance < shift[key]!) shift[key] = distance;
        if (distance === 0) buckets.set(block, [...(buckets.get(block) ?? []), k]);
      }
    });
    // Flat buckets in block order; `bucketStart` is a prefix sum, filled in one pass.
    const bucketStart = new Int32Array(65537);
    const flat: number[] = [];
    const blocks = [...buckets.keys()].sort((a, b) => a - b);
    let next = 0;
    for (const block of blocks) {
      bucketStart.fill(flat.length, next, block + 1);
      for (const k of buckets.get(block)!) flat.push(k);
      next = block + 1;
    }
    bucketStart.fill(flat.length, next);
    this.#shift = shift;
    this.#bucketStart = bucketStart;
    this.#bucketNeedles = Int32Array.from(flat);
  }

  /**
   * Calls `hit(start, end, needle)` for each occurrence wholly inside `b`, by ascending
   * start; `needle` is the position of the needle in the list given to the constructor.
   */
  search(b: Buffer, hit: (start: number, end: number, needle: number) => void): void {
    if (b.length >= SIMD_MIN && this.#simd?.search(b, hit)) return;
    const shift = this.#shift;
    if (shift === undefined) {
      this.#searchEach(b, hit);
      return;
    }
    const m = this.#window;
    const length = b.length;
    const fold = this.#fold;
    let i = m - 1;
    while (i < length) {
      const s = shift[blockHash(fold[b[i - 1]!]!, fold[b[i]!]!)]!;
      if (s !== 0) {
        i += s;
        continue;
      }
      this.#check(b, i, hit);
      i++;
    }
  }

  /** The needles whose window ends with the two bytes at `i`, checked in full. */
  #check(b: Buffer, i: number, hit: (start: number, end: number, needle: number) => void): void {
    const starts = this.#bucketStart!;
    const bucket = this.#bucketNeedles!;
    const needles = this.#needles;
    const fold = this.#fold;
    const length = b.length;
    const block = fold[b[i - 1]!]! | (fold[b[i]!]! << 8);
    const start = i - this.#window + 1;
    // A hash collision brings a window no needle ends like: its bucket is empty.
    for (let k = starts[block]!; k < starts[block + 1]!; k++) {
      const which = bucket[k]!;
      const needle = needles[which]!;
      const end = start + needle.length;
      if (end > length) continue;
      let j = 0;
      while (j < needle.length && fold[b[start + j]!] === needle[j]) j++;
      if (j === needle.length) hit(start, end, which);
    }
  }

  #searchEach(b: Buffer, hit: (start: number, end: number, needle: number) => void): void {
    const found: Array<[number, number, number]> = [];
    const fold = this.#fold;
    this.#needles.forEach((needle, which) => {
      if (fold === SAME) {
        for (let at = b.indexOf(needle); at !== -1; at = b.indexOf(needle, at + 1)) {
          found.push([at, at + needle.length, which]);
        }
        return;
      }
      // Only a one-byte needle in any case comes here: a rare, short loop.
      for (let at = 0; at + needle.length <= b.length; at++) {
        let j = 0;
        while (j < needle.length && fold[b[at + j]!] === needle[j]) j++;
        if (j === needle.length) found.push([at, at + needle.length, which]);
      }
    });
    if (this.#needles.length > 1) found.sort((x, y) => x[0] - y[0]);
    for (const [start, end, which] of found) hit(start, end, which);
  }
}

const cache = new Map<string, MultiNeedleSearch>();

/**
 * The search for a set of needles, built once per process: the tables cost far more to
 * build than to use on one small file, and a scan opens thousands of files with the same
 * needles. Searches hold no state between calls, so sharing one is safe.
 *
 * @example
 * const search = multiNeedleSearch([Buffer.from('"StopInstances')]);
 */
export function multiNeedleSearch(
  needles: readonly Buffer[],
  options: { readonly anyCase?: boolean } = {},
): MultiNeedleSearch {
  const key = `${options.anyCase ? 'i' : 's'}\0${needles.map((needle) => needle.toString('latin1')).join('\0')}`;
  let search = cache.get(key);
  if (!search) {
    search = new MultiNeedleSearch(needles, options);
    cache.set(key, search);
  }
  return search;
}

/** Below this many bytes the other searches' lower start-up cost wins. */
const SIMD_MIN = 4096;

/** Every byte as itself. */
const SAME = Uint8Array.from({ length: 256 }, (_, b) => b);
/** ASCII upper-case letters as lower case, every other byte as itself. */
const LOWER = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));

/** The shift-table key of the two bytes ending a window. */
function blockHash(first: number, second: number): number {
  return ((first << 4) ^ second) & 0xfff;
}
