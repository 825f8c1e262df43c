/**
 * A structural index of one chunk, computed with WebAssembly SIMD 64 bytes at a time (the
 * first stage of simdjson): where the brackets and line breaks outside strings are, and
 * which bytes are inside a string. The framer walks these positions instead of every byte
 * when it is deep inside a document. The module is assembled here from its opcodes (a few
 * hundred bytes), so there is no build step and no binary file; where WebAssembly SIMD is
 * not available the framer keeps its byte loop.
 */

/** Largest chunk indexed in one call; bigger chunks are framed by the byte loop. */
export const INDEX_SLICE = 1 << 20;
const MASK_ADDR = INDEX_SLICE + 64;
const OUT_ADDR = MASK_ADDR + INDEX_SLICE / 8 + 64;
const PAGES = Math.ceil((OUT_ADDR + INDEX_SLICE * 4 + 64) / 65536);

import { moduleBytes, op } from './_wasm-assembler.ts';

const ODD_BITS = -0x5555555555555556n; // 0xAAAAAAAAAAAAAAAA as a signed 64-bit value

export class StructuralIndex {
  readonly #buffer: ArrayBuffer;
  readonly #bytes: Uint8Array;
  readonly #run: (length: number, state: number) => number;
  #positions = new Uint32Array(0);
  #mask = new Uint8Array(0);

  constructor(memory: WebAssembly.Memory, run: (length: number, state: number) => number) {
    this.#buffer = memory.buffer;
    this.#bytes = new Uint8Array(this.#buffer);
    this.#run = run;
  }

  /** The index, or `undefined` where WebAssembly SIMD is missing. */
  static create(): StructuralIndex | undefined {
    try {
      const bytes = assemble();
      if (!WebAssembly.validate(bytes)) return undefined;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      const exports = instance.exports as {
        memory: WebAssembly.Memory;
        index: (length: number, state: number) => number;
      };
      return new StructuralIndex(exports.memory, exports.index);
    } catch {
      return undefined;
    }
  }

  /**
   * Indexes `chunk` (at most `INDEX_SLICE` bytes) from the given string state at its start.
   * Valid until the next call. `false` when a backslash stands outside a string (not JSON):
   * the byte loop then reads the chunk.
   */
  build(chunk: Uint8Array, inString: boolean, escapeNext: boolean): boolean {
    const length = chunk.length;
    const padded = (length + 63) & ~63;
    this.#bytes.set(chunk, 0);
    this.#bytes.fill(0, length, padded);
    const count = this.#run(padded, (inString ? 1 : 0) | (escapeNext ? 2 : 0));
    if (count < 0) return false;
    this.#positions = new Uint32Array(this.#buffer, OUT_ADDR, count);
    this.#mask = new Uint8Array(this.#buffer, MASK_ADDR, padded / 8);
    return true;
  }

  /** Positions of `{ } [ ]` and line breaks outside strings, ascending. */
  get positions(): Uint32Array {
    return this.#positions;
  }

  /** Whether the byte at `at` is inside a string (an opening quote is, a closing one not). */
  inString(at: number): boolean {
    return ((this.#mask[at >> 3]! >> (at & 7)) & 1) === 1;
  }
}

/** The kernel: `index(length, state) -> count`, one 64-byte block per loop turn. */
function assemble(): Uint8Array<ArrayBuffer> {
  // Locals: 0 length, 1 state (params); i32: 2 p, 3 n; i64: 4 q, 5 bs, 6 st, 7 esc, 8 ins,
  // 9 escaped, 10 x, 11 bits, 12 etc, 13 stray; v128: 14 v, 15 w.
  const [LEN, STATE, P, N, Q, BS, ST, ESC, INS, ESCAPED, X, BITS, ETC, STRAY, V, W] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  ] as const;
  const code: number[] = [];
  const emit = (...parts: Array<number | number[]>) => {
    for (const part of parts) {
      if (typeof part === 'number') code.push(part);
      else code.push(...part);
    }
  };
  function maskInto(local: number, shift: number, compute: () => void): void {
    emit(op.get(local));
    compute();
    emit(op.bitmask8, op.i64extend, op.i64(BigInt(shift)), op.i64shl, op.i64or, op.set(local));
  }
  // esc = state >> 1 & 1; ins = -(state & 1)
  emit(op.get(STATE), op.i32(1), op.i32shru, op.i32(1), op.i32and, op.i64extend, op.set(ESC));
  emit(op.i64(0n), op.get(STATE), op.i32(1), op.i32and, op.i64extend, op.i64sub, op.set(INS));
  emit(op.block, op.loop);
  emit(op.get(P), op.get(LEN), op.i32ltu, 0x45 /* i32.eqz */, op.brIf(1));
  emit(op.i64(0n), op.set(Q), op.i64(0n), op.set(BS), op.i64(0n), op.set(ST));
  for (let k = 0; k < 4; k++) {
    emit(op.get(P), op.load128(16 * k), op.set(V));
    maskInto(Q, 16 * k, () => emit(op.get(V), op.i32(0x22), op.splat8, op.eq8));
    maskInto(BS, 16 * k, () => emit(op.get(V), op.i32(0x5c), op.splat8, op.eq8));
    maskInto(ST, 16 * k, () => {
      // (v | 0x20) is 0x7b for `{` and `[`, 0x7d for `}` and `]`.
      emit(
        op.get(V),
        op.i32(0x20),
        op.splat8,
        op.or128,
        op.tee(W),
        op.i32(0x7b),
        op.splat8,
        op.eq8,
      );
      emit(op.get(W), op.i32(0x7d), op.splat8, op.eq8, op.or128);
      emit(op.get(V), op.i32(0x0a), op.splat8, op.eq8, op.or128);
    });
  }
  // Escapes (simdjson's json_escape_scanner): which bytes follow an odd run of backslashes.
  emit(op.get(BS), op.i64eqz, op.if);
  emit(op.get(ESC), op.set(ESCAPED), op.i64(0n), op.set(ESC));
  emit(op.else);
  // etc = (((pe << 1) | ODD) - pe) ^ ODD, with pe = bs & ~esc
  emit(op.get(BS), op.get(ESC), op.i64(-1n), op.i64xor, op.i64and, op.set(X));
  emit(op.get(X), op.i64(1n), op.i64shl, op.i64(ODD_BITS), op.i64or, op.get(X), op.i64sub);
  emit(op.i64(ODD_BITS), op.i64xor, op.set(ETC));
  emit(op.get(ETC), op.get(BS), op.get(ESC), op.i64or, op.i64xor, op.set(ESCAPED));
  emit(op.get(ETC), op.get(BS), op.i64and, op.i64(63n), op.i64shru, op.set(ESC));
  emit(op.end);
  // Quotes that count, then their prefix XOR: 1 from an opening quote to before the closing one.
  emit(op.get(Q), op.get(ESCAPED), op.i64(-1n), op.i64xor, op.i64and, op.set(X));
  for (const shift of [1n, 2n, 4n, 8n, 16n, 32n]) {
    emit(op.get(X), op.get(X), op.i64(shift), op.i64shl, op.i64xor, op.set(X));
  }
  emit(op.get(X), op.get(INS), op.i64xor, op.set(X));
  emit(op.get(X), op.i64(63n), op.i64shrs, op.set(INS));
  // A backslash outside a string is not JSON, and the byte loop reads it differently (it
  // escapes nothing there): such a chunk is left to the byte loop.
  emit(
    op.get(STRAY),
    op.get(BS),
    op.get(X),
    op.i64(-1n),
    op.i64xor,
    op.i64and,
    op.i64or,
    op.set(STRAY),
  );
  // mask[p / 64] = x
  emit(op.get(P), op.i32(3), op.i32shru, op.get(X), op.i64store(MASK_ADDR));
  // Structurals outside strings, written out as positions.
  emit(op.get(ST), op.get(X), op.i64(-1n), op.i64xor, op.i64and, op.set(BITS));
  emit(op.block, op.loop);
  emit(op.get(BITS), op.i64eqz, op.brIf(1));
  emit(op.get(N), op.i32(2), op.i32shl);
  emit(op.get(P), op.get(BITS), op.i64ctz, op.i32wrap, op.i32add);
  emit(op.i32store(OUT_ADDR));
  emit(op.get(N), op.i32(1), op.i32add, op.set(N));
  emit(op.get(BITS), op.get(BITS), op.i64(1n), op.i64sub, op.i64and, op.set(BITS));
  emit(op.br(0), op.end, op.end);
  emit(op.get(P), op.i32(64), op.i32add, op.set(P));
  emit(op.br(0), op.end, op.end);
  emit(op.get(N), op.i32(-1), op.get(STRAY), op.i64eqz, 0x1b /* select: n unless stray */);
  emit(op.end);

  return moduleBytes({
    params: 2,
    locals: [
      [2, 0x7f],
      [10, 0x7e],
      [2, 0x7b],
    ],
    code,
    pages: PAGES,
    name: 'index',
  });
}
