import { multiNeedleSearch } from './multi-needle-search.ts';
import type { MultiNeedleSearch } from './multi-needle-search.ts';

/**
 * Where the prefilter needles occur in the byte stream, found in one pass over each whole
 * chunk instead of one search per document. Positions are absolute stream offsets, so a
 * document that spans chunks, or a needle cut in two by a chunk boundary, is judged exactly
 * as if the bytes were contiguous.
 *
 * Marks are byte strings found in the same pass but kept apart from the needles: the framer
 * uses them to tell where a JSON line may hold a wrapper (`"records"`) and must be framed
 * even though no needle is in it.
 */
export class NeedleIndex {
  readonly #needles: readonly string[];
  readonly #marks: readonly string[];
  readonly #anyCase: boolean;
  readonly #search: MultiNeedleSearch;
  readonly #overlap: number;
  /** Last `overlap` bytes of the previous chunk, to find needles cut by the boundary. */
  #tail: Buffer = Buffer.alloc(0);
  #tailBase = 0;
  readonly #hits = new HitList();
  readonly #markHits = new HitList();

  /** With `anyCase`, ASCII letters of needles and marks match in either case. */
  constructor(needles: readonly string[], marks: readonly string[] = [], anyCase = false) {
    this.#needles = needles;
    this.#marks = marks;
    this.#anyCase = anyCase;
    const bytes = [...needles, ...marks].map((text) => Buffer.from(text, 'utf8'));
    this.#search = multiNeedleSearch(bytes, { anyCase });
    this.#overlap = Math.max(0, ...bytes.map((needle) => needle.length - 1));
  }

  /** Whether this index also looks for marks. */
  get marked(): boolean {
    return this.#marks.length > 0;
  }

  /**
   * An index for other needles that goes on from where this one is: the tail of the last
   * chunk is kept, so a needle cut by the next boundary is still found when the new needles
   * are no longer than the old ones (narrowing to a subset, the use this is for).
   */
  withNeedles(needles: readonly string[], anyCase = false): NeedleIndex {
    return this.#continued(new NeedleIndex(needles, this.#marks, anyCase));
  }

  /** The same needles plus marks, from the next chunk on. */
  withMarks(marks: readonly string[]): NeedleIndex {
    return this.#continued(new NeedleIndex(this.#needles, marks, this.#anyCase));
  }

  #continued(next: NeedleIndex): NeedleIndex {
    const keep = Math.min(next.#overlap, this.#tail.length);
    next.#tail = this.#tail.subarray(this.#tail.length - keep);
    next.#tailBase = this.#tailBase + this.#tail.length - keep;
    return next;
  }

  /** Indexes a new chunk that starts at absolute offset `base`. */
  begin(chunk: Buffer, base: number): void {
    const hits = this.#hits;
    const marks = this.#markHits;
    const needleCount = this.#needles.length;
    hits.reset();
    marks.reset();
    if (this.#overlap > 0 && this.#tail.length > 0 && this.#tailBase + this.#tail.length === base) {
      const joint = Buffer.concat([this.#tail, chunk.subarray(0, this.#overlap)]);
      const cut = this.#tail.length;
      const tailBase = this.#tailBase;
      this.#search.search(joint, (start, end, which) => {
        // Only needles that straddle the boundary: the others are found in either chunk.
        if (start < cut && end > cut) {
          (which < needleCount ? hits : marks).add(tailBase + start, tailBase + end);
        }
      });
    }
    // Hits in the chunk start after every straddling one, so the order stays ascending.
    this.#search.search(chunk, (start, end, which) => {
      (which < needleCount ? hits : marks).add(base + start, base + end);
    });
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
    return this.#hits.has(start, end);
  }

  /** Like `has`, for the marks. */
  hasMark(start: number, end: number): boolean {
    return this.#markHits.has(start, end);
  }
}

/** Hits of one chunk by ascending start, read with a cursor that only moves forward. */
class HitList {
  #starts: number[] = [];
  #ends: number[] = [];
  #cursor = 0;

  reset(): void {
    this.#starts = [];
    this.#ends = [];
    this.#cursor = 0;
  }

  add(start: number, end: number): void {
    this.#starts.push(start);
    this.#ends.push(end);
  }

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
