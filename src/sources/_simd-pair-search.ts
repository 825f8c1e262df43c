/**
 * A set of needles found with WebAssembly SIMD, 16 start positions per step: a start is a
 * candidate when, for some needle, its rarest bytes (two or three) sit where they should;
 * only candidates are compared in full. On 1 MiB pieces of cloud JSON, copy into
 * WebAssembly memory included: `"StopInstances` alone at about 9 GB/s (Node's
 * `Buffer.indexOf`: 3 GB/s), and the 15 stop needles of all three clouds, Azure's in any
 * case, at about 0.9 GB/s (the JavaScript multi-needle loop: 0.5 GB/s). The module is
 * assembled per needle set, bytes and offsets baked in as immediates.
 */
import { moduleBytes, op } from './_wasm-assembler.ts';

/** Largest haystack searched in one call; longer ones are left to the other searches. */
export const PAIR_SEARCH_SLICE = 1 << 20;
/** Candidates one call may report before it gives up (another search then takes over). */
const MAX_CANDIDATES = 1 << 16;
/** Room past the haystack for the kernel's loads at the needles' offsets. */
const PADDING = 512;
/** Longest needle: its offsets must stay inside the padding. */
const MAX_NEEDLE = PADDING - 32;
/** More needles than this make the kernel slower than the JavaScript search. */
const MAX_NEEDLES = 24;
const OUT_ADDR = PAIR_SEARCH_SLICE + PADDING;
const PAGES = Math.ceil((OUT_ADDR + MAX_CANDIDATES * 4) / 65536);

/** ASCII letter, which `anyCase` folds. */
function isLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/*
 * Printable bytes from the most to the least common in cloud audit JSON (counted over the
 * demo's three clouds of exports). Probing a needle at its rarest bytes keeps candidates
 * few: at `"StopInstances` the capitals, not the quote and the `s`.
 */
const COMMON_FIRST =
  '"etasorci:n-dp1,mu2.l0/534g976f8bAIv{}yTShw RNECOMD_PLzZFGUxjHqVKB@W#XkQY[]()J%+;\\=*\'<>!$&?^`|~';

/** How common a byte is: its rank above, a folded letter ranked as its commoner case. */
function commonness(byte: number, anyCase: boolean): number {
  const rank = (b: number) => {
    const at = COMMON_FIRST.indexOf(String.fromCharCode(b));
    return at === -1 || b > 0x7e ? 0 : COMMON_FIRST.length - at;
  };
  if (!anyCase || !isLetter(byte)) return rank(byte);
  return Math.max(rank(byte | 0x20), rank(byte & ~0x20));
}

/** Bytes probed per needle at most: each one more divides the candidates by ten or more. */
const PROBES = 3;
/** Two bytes this rare (a capital in cloud JSON) leave few candidates: a third costs more. */
const RARE = commonness(0x41 /* A */, false);

/** The positions of the needle's rarest bytes, two when they are rare enough, ascending. */
function pickPositions(needle: Uint8Array, anyCase: boolean): number[] {
  const rarest = [...needle.keys()].sort(
    (x, y) => commonness(needle[x]!, anyCase) - commonness(needle[y]!, anyCase) || x - y,
  );
  const enough = rarest.length > 1 && commonness(needle[rarest[1]!]!, anyCase) <= RARE ? 2 : 3;
  return rarest.slice(0, enough).sort((x, y) => x - y);
}

/** One byte the kernel checks: where in the needle, which value, folded or not. */
interface Probe {
  readonly at: number;
  readonly byte: number;
  readonly fold: boolean;
}

export class SimdPairSearch {
  /** The needles as compared: lower case where `anyCase` folds. */
  readonly #needles: readonly Uint8Array[];
  readonly #fold: Uint8Array;
  readonly #memory: Uint8Array;
  readonly #buffer: ArrayBuffer;
  readonly #find: (length: number) => number;

  constructor(
    needles: readonly Uint8Array[],
    fold: Uint8Array,
    memory: WebAssembly.Memory,
    find: (length: number) => number,
  ) {
    this.#needles = needles;
    this.#fold = fold;
    this.#buffer = memory.buffer;
    this.#memory = new Uint8Array(this.#buffer);
    this.#find = find;
  }

  /**
   * A search for the needles (already folded to lower case by the caller when `fold` folds),
   * or `undefined` where it cannot help: no WebAssembly SIMD, or needles too short, too long
   * or too many.
   */
  static create(
    needles: readonly Uint8Array[],
    fold: Uint8Array,
    anyCase: boolean,
  ): SimdPairSearch | undefined {
    if (needles.length === 0 || needles.length > MAX_NEEDLES) return undefined;
    if (needles.some((n) => n.length < 2 || n.length > MAX_NEEDLE)) return undefined;
    try {
      const probes = needles.map((needle) =>
        pickPositions(needle, anyCase).map((at): Probe => ({
          at,
          byte: needle[at]!,
          fold: anyCase && isLetter(needle[at]!),
        })),
      ) as [Probe, Probe][];
      const bytes = assemble(probes);
      if (!WebAssembly.validate(bytes)) return undefined;
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
        memory: WebAssembly.Memory;
        find: (length: number) => number;
      };
      return new SimdPairSearch(needles, fold, exports.memory, exports.find);
    } catch {
      return undefined;
    }
  }

  /**
   * Calls `hit(start, end, needle)` for every occurrence wholly inside `b`, by ascending
   * start, then needle order. `false` (nothing reported) when `b` is too long or holds too
   * many candidates, for the caller to search another way.
   */
  search(b: Uint8Array, hit: (start: number, end: number, needle: number) => void): boolean {
    if (b.length > PAIR_SEARCH_SLICE) return false;
    this.#memory.set(b, 0);
    const count = this.#find(b.length);
    if (count < 0) return false;
    const needles = this.#needles;
    const fold = this.#fold;
    const length = b.length;
    const starts = new Uint32Array(this.#buffer, OUT_ADDR, count);
    // Candidates past the end come from bytes left over from a longer haystack: they fail
    // the bounds check below.
    for (const start of starts) {
      for (let which = 0; which < needles.length; which++) {
        const needle = needles[which]!;
        if (start + needle.length > length) continue;
        let j = 0;
        while (j < needle.length && fold[b[start + j]!] === needle[j]) j++;
        if (j === needle.length) hit(start, start + needle.length, which);
      }
    }
    return true;
  }
}

/**
 * `find(length) -> count`: the starts `i` below `length` (in steps of 16, so up to 15
 * more) where, for some needle, both its probes match, written as u32 at OUT_ADDR in
 * ascending order; -1 past MAX_CANDIDATES. A folded probe compares `byte | 0x20`.
 */
function assemble(probes: readonly (readonly Probe[])[]): Uint8Array<ArrayBuffer> {
  const [LEN, I, M, N] = [0, 1, 2, 3] as const;
  // v128 locals: the splatted probe bytes, PROBES per needle, then one loaded vector per
  // distinct (offset, folded) pair, loaded once per step however many needles use it.
  const SPLATS = 4;
  const splat = (k: number, side: number) => SPLATS + PROBES * k + side;
  const loads = [...new Set(probes.flat().map((p) => `${p.at}:${p.fold}`))];
  const LOADS = SPLATS + PROBES * probes.length;
  const loadLocal = (probe: Probe) => LOADS + loads.indexOf(`${probe.at}:${probe.fold}`);
  const code: number[] = [];
  const emit = (...parts: Array<number | number[]>) => {
    for (const part of parts) {
      if (typeof part === 'number') code.push(part);
      else code.push(...part);
    }
  };
  probes.forEach((set, k) =>
    set.forEach((probe, side) =>
      emit(op.i32(probe.byte | (probe.fold ? 0x20 : 0)), op.splat8, op.set(splat(k, side))),
    ),
  );
  emit(op.block, op.loop);
  emit(op.get(I), op.get(LEN), op.i32ltu, op.i32eqz, op.brIf(1));
  for (const [k, key] of loads.entries()) {
    const [at, fold] = key.split(':');
    emit(op.get(I), op.load128(Number(at)));
    if (fold === 'true') emit(op.i32(0x20), op.splat8, op.or128);
    emit(op.set(LOADS + k));
  }
  // m = one bit per start i..i+15 where all of some needle's probes match
  emit(op.i32(0), op.set(M));
  probes.forEach((set, k) => {
    set.forEach((probe, side) => {
      emit(op.get(loadLocal(probe)), op.get(splat(k, side)), op.eq8);
      if (side > 0) emit(op.and128);
    });
    emit(op.bitmask8, op.get(M), op.i32or, op.set(M));
  });
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
      [PROBES * probes.length + loads.length, 0x7b],
    ],
    code,
    pages: PAGES,
    name: 'find',
  });
}
