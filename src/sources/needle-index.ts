/**
 * Where the prefilter needles occur in the byte stream, found with one native
 * `Buffer.indexOf` pass per needle over each whole chunk instead of one search per
 * document. Positions are absolute stream offsets, so a document that spans chunks, or a
 * needle cut in two by a chunk boundary, is judged exactly as if the bytes were contiguous.
 */
export class NeedleIndex {
  readonly #needles: readonly Buffer[];
  readonly #overlap: number;
  /** Last `overlap` bytes of the previous chunk, to find needles cut by the boundary. */
  #tail: Buffer = Buffer.alloc(0);
  #tailBase = 0;
  #starts: number[] = [];
  #ends: number[] = [];
  #cursor = 0;

  constructor(needles: readonly string[]) {
    this.#needles = needles.map((needle) => Buffer.from(needle, 'utf8'));
    this.#overlap = Math.max(0, ...this.#needles.map((needle) => needle.length - 1));
  }

  /** Indexes a new chunk that starts at absolute offset `base`. */
  begin(chunk: Buffer, base: number): void {
    const hits: Array<[number, number]> = [];
    if (this.#overlap > 0 && this.#tail.length > 0 && this.#tailBase + this.#tail.length === base) {
      const head = chunk.subarray(0, this.#overlap);
      const joint = Buffer.concat([this.#tail, head]);
      const cut = this.#tail.length;
      for (const needle of this.#needles) {
        for (let at = joint.indexOf(needle); at !== -1; at = joint.indexOf(needle, at + 1)) {
          // Only needles that straddle the boundary: the others are found in either chunk.
          if (at < cut && at + needle.length > cut) {
            hits.push([this.#tailBase + at, this.#tailBase + at + needle.length]);
          }
        }
      }
    }
    for (const needle of this.#needles) {
      for (let at = chunk.indexOf(needle); at !== -1; at = chunk.indexOf(needle, at + 1)) {
        hits.push([base + at, base + at + needle.length]);
      }
    }
    if (this.#needles.length > 1 || hits.length > 1) hits.sort((a, b) => a[0] - b[0]);
    this.#starts = hits.map((hit) => hit[0]);
    this.#ends = hits.map((hit) => hit[1]);
    this.#cursor = 0;
    // The tail may reach back over several small chunks: a needle longer than a chunk
    // still straddles exactly one boundary where it ends.
    if (chunk.length >= this.#overlap) {
      this.#tail = Buffer.from(chunk.subarray(chunk.length - this.#overlap));
    } else {
      const joined = Buffer.concat([this.#tail, chunk]);
      this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - this.#overlap)));
    }
    this.#tailBase = base + chunk.length - this.#tail.length;
  }

  /**
   * Whether a needle lies wholly inside `[start, end)` among the hits of the current chunk.
   * Calls must come with non-decreasing `start`: hits before it are passed for good.
   */
  has(start: number, end: number): boolean {
    const starts = this.#starts;
    let cursor = this.#cursor;
    while (cursor < starts.length && starts[cursor]! < start) cursor++;
    this.#cursor = cursor;
    for (let k = cursor; k < starts.length && starts[k]! < end; k++) {
      if (this.#ends[k]! <= end) return true;
    }
    return false;
  }
}
