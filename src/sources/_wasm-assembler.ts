/**
 * Just enough of a WebAssembly assembler for the framing kernels: the opcodes they use and
 * a one-function module with its own memory. Assembling at load time keeps the kernels
 * readable in review and the project free of build steps and binary files.
 */

export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export const op = {
  get: (l: number) => [0x20, l],
  set: (l: number) => [0x21, l],
  tee: (l: number) => [0x22, l],
  i32: (v: number) => [0x41, ...sleb(BigInt(v))],
  i64: (v: bigint) => [0x42, ...sleb(v)],
  load128: (offset: number) => [0xfd, 0x00, 0x04, ...uleb(offset)],
  splat8: [0xfd, 0x0f],
  eq8: [0xfd, 0x23],
  or128: [0xfd, 0x50],
  and128: [0xfd, 0x4e],
  bitmask8: [0xfd, 0x64],
  i32add: [0x6a],
  i32ltu: [0x49],
  i32shl: [0x74],
  i32shru: [0x76],
  i32and: [0x71],
  i32or: [0x72],
  i32sub: [0x6b],
  i32ctz: [0x68],
  i32eqz: [0x45],
  i32geu: [0x4f],
  return: [0x0f],
  i64add: [0x7c],
  i64sub: [0x7d],
  i64and: [0x83],
  i64or: [0x84],
  i64xor: [0x85],
  i64shl: [0x86],
  i64shrs: [0x87],
  i64shru: [0x88],
  i64ctz: [0x7a],
  i64eqz: [0x50],
  i64extend: [0xad],
  i32wrap: [0xa7],
  i64store: (offset: number) => [0x37, 0x03, ...uleb(offset)],
  i32store: (offset: number) => [0x36, 0x02, ...uleb(offset)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
};

export interface ModuleSpec {
  /** Count of i32 parameters; the function returns one i32. */
  readonly params: number;
  /** Runs of locals after the parameters: [count, value type]. */
  readonly locals: ReadonlyArray<readonly [number, number]>;
  readonly code: readonly number[];
  readonly pages: number;
  /** Export name of the function; the memory is exported as `memory`. */
  readonly name: string;
}

export function moduleBytes(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const body = [
    ...uleb(spec.locals.length),
    ...spec.locals.flatMap(([count, type]) => [...uleb(count), type]),
    ...spec.code,
  ];
  const name = (text: string) => [...uleb(text.length), ...Buffer.from(text)];
  const params = Array.from({ length: spec.params }, () => 0x7f);
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, spec.params, ...params, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(spec.pages)]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name(spec.name), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
