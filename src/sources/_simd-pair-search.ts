/**
 * One needle found with WebAssembly SIMD, 16 start positions per step: a start is a
 * candidate when two of the needle's rarer bytes sit where they should, and only candidates
 * are compared in full. Node's `Buffer.indexOf` runs at about 3 GB/s on JSON; this about
 * 7 GB/s, copy into WebAssembly memory included (1 GB bench tree, `"StopInstances`). The
 * module is assembled per needle, its bytes and offsets baked in as immediates.
 */
import { moduleBytes, op } from './_wasm-assembler.ts';

/** Largest haystack searched in one call; longer ones are left to the native search. */
export const PAIR_SEARCH_SLICE = 1 << 20;
/** Candidates one call may report before it gives up (the native search then takes over). */
const MAX_CANDIDATES = 1 << 16;
/** Room past the haystack for the kernel's loads at the needle's offsets. */
const PADDING = 512;
/** Longest needle: its offsets must stay inside the padding. */
const MAX_NEEDLE = PADDING - 32;
const OUT_ADDR = PAIR_SEARCH_SLICE + PADDING;
const PAGES = Math.ceil((OUT_ADDR + MAX_CANDIDATES * 4) / 65536);

/** How rare a byte is in JSON log text: capitals rarest, then digits, then small letters. */
function rarity(byte: number): number {
  if (byte >= 0x41 && byte <= 0x5a) return 3;
  if (byte >= 0x30 && byte <= 0x39) return 2;
  if (byte >= 0x61 && byte <= 0x7a) return 1;
  return 0;
}

/** The two positions whose bytes are rarest, the first one first; apart when tied. */
function pickPositions(needle: Uint8Array): [number, number] {
  const order = [...needle.keys()].sort((x, y) => rarity(needle[y]!) - rarity(needle[x]!) || x - y);
  const first = order[0]!;
  const rest = order.slice(1);
  const best = rarity(needle[rest[0]!]!);
  // Among the equally rare, the farthest from the first: neighbours tend to come together.
  const second = rest
    .filter((p) => rarity(needle[p]!) === best)
    .reduce((a, b) => (Math.abs(b - first) > Math.abs(a - first) ? b : a));
  return first < second ? [first, second] : [second, first];
}

export class SimdPairSearch {
  readonly #needle: Buffer;
  readonly #memory: Uint8Array;
  readonly #buffer: ArrayBuffer;
  readonly #find: (length: number) => number;

  constructor(needle: Buffer, memory: WebAssembly.Memory, find: (n: number) => number) {
    this.#needle = needle;
    this.#buffer = memory.buffer;
    this.#memory = new Uint8Array(this.#buffer);
    this.#find = find;
  }

  /** A search for `needle`, or `undefined` where it cannot help (no SIMD, odd needle). */
  static create(needle: Buffer): SimdPairSearch | undefined {
    if (needle.length < 2 || needle.length > MAX_NEEDLE) return undefined;
    try {
      const [first, second] = pickPositions(needle);
      const bytes = assemble(first, needle[first]!, second, needle[second]!);
      if (!WebAssembly.validate(bytes)) return undefined;
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
        memory: WebAssembly.Memory;
        find: (length: number) => number;
      };
      return new SimdPairSearch(needle, exports.memory, exports.find);
    } catch {
      return undefined;
    }
  }

  /**
   * Every start of the needle wholly inside `b`, ascending; `false` (nothing reported) when
   * `b` is too long or holds too many candidates, for the caller to search another way.
   */
  search(b: Uint8Array, hit: (start: number) => void): boolean {
    if (b.length > PAIR_SEARCH_SLICE) return false;
    this.#memory.set(b, 0);
    const count = this.#find(b.length);
    if (count < 0) return false;
    const needle = this.#needle;
    const last = b.length - needle.length;
    const starts = new Uint32Array(this.#buffer, OUT_ADDR, count);
    // Candidates past the end come from bytes left over from a longer haystack: dropped.
    for (const start of starts) {
      if (start > last) break;
      let j = 0;
      while (j < needle.length && b[start + j] === needle[j]) j++;
      if (j === needle.length) hit(start);
    }
    return true;
  }
}

/**
 * `find(length) -> count`: the starts `i` below `length` (in steps of 16, so up to 15
 * more) where byte `i + first` is `a` and byte `i + second` is `b`, written as u32 at
 * OUT_ADDR in ascending order; -1 past MAX_CANDIDATES.
 */
function assemble(first: number, a: number, second: number, b: number): Uint8Array<ArrayBuffer> {
  const [LEN, I, M, N, SA, SB] = [0, 1, 2, 3, 4, 5] as const;
  const code: number[] = [];
  const emit = (...parts: Array<number | number[]>) => {
    for (const part of parts) {
      if (typeof part === 'number') code.push(part);
      else code.push(...part);
    }
  };
  emit(op.i32(a), op.splat8, op.set(SA), op.i32(b), op.splat8, op.set(SB));
  emit(op.block, op.loop);
  emit(op.get(I), op.get(LEN), op.i32ltu, op.i32eqz, op.brIf(1));
  // m = one bit per start i..i+15 where both bytes match
  emit(op.get(I), op.load128(first), op.get(SA), op.eq8);
  emit(op.get(I), op.load128(second), op.get(SB), op.eq8);
  emit(op.and128, op.bitmask8, op.set(M));
  emit(op.block, op.loop);
  emit(op.get(M), op.i32eqz, op.brIf(1));
  emit(op.get(N), op.i32(MAX_CANDIDATES), op.i32geu, op.if, op.i32(-1), op.return, op.end);
  emit(op.get(N), op.i32(2), op.i32shl, op.get(I), op.get(M), op.i32ctz, op.i32add);
  emit(op.i32store(OUT_ADDR));
  emit(op.get(N), op.i32(1), op.i32add, op.set(N));
  emit(op.get(M), op.get(M), op.i32(1), op.i32sub, op.i32and, op.set(M));
  emit(op.br(0), op.end, op.end);
  emit(op.get(I), op.i32(16), op.i32add, op.set(I));
  emit(op.br(0), op.end, op.end);
  emit(op.get(N), op.end);
  return moduleBytes({
    params: 1,
    locals: [
      [3, 0x7f],
      [2, 0x7b],
    ],
    code,
    pages: PAGES,
    name: 'find',
  });
}
