import type { RecordIssue } from '../model/index.ts';
import { NeedleIndex } from './needle-index.ts';
import { INDEX_SLICE, StructuralIndex } from './structural-index.ts';
import type { NeedleSet, RawDocument } from './types.ts';

/**
 * Cuts a stream of JSON bytes into documents without parsing them. It tracks only nesting
 * depth and string boundaries (string contents are skipped with a native `indexOf` for the
 * closing quote), so scanning runs at memory speed and only the documents the prefilter
 * keeps ever become strings. Chunks may split the bytes anywhere: every piece of state that
 * spans a boundary (depth, an open string, a pending backslash, a half-read wrapper key, a
 * needle cut in two) is carried over explicitly.
 *
 * This file is about 800 lines, past the style guide's 600: the state machine is one
 * concept whose states share every field, and splitting it would put the hot loop's state
 * behind accessors and calls on the path that runs for every byte.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const RETURN = 0x0d;

/** Keys of the top-level objects whose array value holds the records: split, not kept whole. */
export const WRAPPER_KEYS: readonly string[] = ['Records', 'records', 'Events', 'entries', 'value'];
const WRAPPER_BYTES = WRAPPER_KEYS.map((key) => Buffer.from(key));
const LONGEST_WRAPPER = Math.max(...WRAPPER_BYTES.map((key) => key.length));
/**
 * One per thread: `push` is synchronous, so framers that take turns (several files read at
 * once) never see each other's index.
 */
const STRUCTURAL = StructuralIndex.create();
/** Below this, building the index costs more than the byte loop it saves. */
const INDEX_MIN = 4096;

/** A JSON line holding one of these may be a wrapper and is always framed. */
const WRAPPER_MARKS = WRAPPER_KEYS.map((key) => `"${key}"`);

// Where the scan is: between top-level values, inside a top-level object (its keys are
// watched for wrappers), between array elements, deep inside a value, inside a bare scalar.
const TOP = 0;
const OBJECT = 1;
const ARRAY = 2;
const VALUE = 3;
const SCALAR = 4;

// How the file is laid out. Until the first top-level object is complete the framer cannot
// know whether it reads JSON lines or a (pretty-printed or concatenated) stream.
const UNDECIDED = 0;
const FIRST_DONE = 1;
const LINES = 2;
const STREAM = 3;

// What a string that crosses a chunk boundary is, so its end can be handled by role.
const ROLE_SKIP = 0;
const ROLE_KEY = 1;
const ROLE_MEMBER = 2;
const ROLE_ELEMENT = 3;

export type FramedLayout = 'json-lines' | 'json';

/** What one `push` or `end` produced. */
export interface FramerOutput {
  readonly documents: RawDocument[];
  readonly skipped: number;
  readonly issues: RecordIssue[];
}

export interface JsonFramerOptions {
  readonly needles?: readonly string[];
  /** ASCII letters of the needles match in either case. */
  readonly anyCase?: boolean;
  /**
   * The SIMD structural index: `auto` (the default) for chunks where it pays, `always` for
   * every chunk (tests use it to reach the indexed path with small inputs), `off` never.
   */
  readonly structural?: 'auto' | 'always' | 'off';
  /** Each document the prefilter skips, as a view valid during the call (`FrameOptions`). */
  readonly onSkipped?: (bytes: Buffer, container?: string) => void;
}

/**
 * @example
 * const framer = new JsonFramer('trail.json');
 * const { documents } = framer.push(Buffer.from('{"Records":[{"a":1},{"a":2}]}'));
 * framer.end(); // documents: two, container "Records"
 */
export class JsonFramer {
  readonly #path: string;
  readonly #indexMin: number;
  readonly #onSkipped: ((bytes: Buffer, container?: string) => void) | undefined;
  #needles: NeedleIndex | undefined;

  #mode = UNDECIDED;
  #ctx = TOP;
  #depth = 0;
  #line = 1;
  #base = 0;
  #index = 0;
  #returnedAny = false;
  #broken = false;
  #skipLine = false;
  #lineHasValue = false;
  #firstValueLine = 0;
  #valueLine = 0;

  // Inside a deep value: the depth that ends it and where the scan goes then.
  #floor = 0;
  #returnTo = ARRAY;
  // Between array elements: 0 after `[`, 1 after `,`, 2 after an element.
  #arrayState = 0;
  #container: string | undefined;
  // Inside a top-level object: 0 expects a key, 1 a colon, 2 a value, 3 a comma or `}`.
  #objectState = 0;
  #wrapperKey: string | undefined;
  #objectIsWrapper = false;

  #inString = false;
  #role = ROLE_SKIP;
  #escapeNext = false;
  #keyHead: number[] | undefined;

  #docOpen = false;
  #docStart = 0;
  #docLine = 0;
  #parts: Buffer[] = [];
  #pendingHit = false;

  /** Whether `STRUCTURAL` holds this chunk, and how far the walk through it has come. */
  #indexed = false;
  #cursor = 0;

  #documents: RawDocument[] = [];
  #skipped = 0;
  #issues: RecordIssue[] = [];

  constructor(path: string, options: JsonFramerOptions = {}) {
    this.#path = path;
    const structural = options.structural ?? 'auto';
    this.#indexMin = structural === 'off' ? Infinity : structural === 'always' ? 0 : INDEX_MIN;
    this.#onSkipped = options.onSkipped;
    const needles = options.needles ?? [];
    // No needles, or an empty one (found everywhere), means no prefilter at all.
    this.#needles =
      needles.length > 0 && needles.every((needle) => needle.length > 0)
        ? new NeedleIndex(needles, [], options.anyCase)
        : undefined;
  }

  /** `json-lines` once the first line proved to hold one whole value; `json` otherwise. */
  get layout(): FramedLayout {
    return this.#mode === LINES || this.#mode === FIRST_DONE ? 'json-lines' : 'json';
  }

  /**
   * Narrows the prefilter to other needles from the next chunk on (the rest of the current
   * chunk was judged by the old ones). Without a prefilter, or with `undefined`, nothing
   * changes; an empty list or an empty needle turns the prefilter off.
   */
  narrow(set: NeedleSet | undefined): void {
    if (set === undefined || this.#needles === undefined) return;
    const needles = set.needles;
    this.#needles =
      needles.length > 0 && needles.every((needle) => needle.length > 0)
        ? this.#needles.withNeedles(needles, set.anyCase)
        : undefined;
  }

  /** Documents read so far, kept or skipped. */
  get count(): number {
    return this.#index;
  }

  /** Frames one chunk; documents that end in it are returned, views valid until the next call. */
  push(chunk: Buffer): FramerOutput {
    // The index is swapped between chunks only: the current one holds this chunk's hits.
    if (this.#mode === LINES && this.#needles !== undefined && !this.#needles.marked) {
      this.#needles = this.#needles.withMarks(WRAPPER_MARKS);
    }
    const needles = this.#needles;
    needles?.begin(chunk, this.#base);
    this.#indexed = false;
    this.#cursor = 0;
    if (
      STRUCTURAL !== undefined &&
      this.#mode !== LINES &&
      chunk.length >= this.#indexMin &&
      chunk.length <= INDEX_SLICE
    ) {
      this.#indexed = STRUCTURAL.build(chunk, this.#inString, this.#escapeNext);
    }
    // Marks are only known for chunks indexed after the layout turned out to be JSON lines.
    const marked = needles !== undefined && needles.marked;
    const end = chunk.length;
    let i = 0;
    while (i < end && !this.#broken) {
      if (this.#mode !== LINES) {
        i = this.#scan(chunk, i, end);
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, i);
      if (marked && newline !== -1 && this.#canSkipLine(chunk, i, newline)) {
        this.#onSkipped?.(chunk.subarray(i, newline));
        this.#index++;
        this.#skipped++;
        this.#line++;
        i = newline + 1;
        continue;
      }
      const stop = newline === -1 ? end : newline;
      if (!this.#skipLine && i < stop) this.#scan(chunk, i, stop);
      if (newline === -1) break;
      this.#endLine();
      i = newline + 1;
    }
    this.#carryOver(chunk);
    this.#base += end;
    return this.#flush();
  }

  /**
   * With a prefilter, a JSON line is skipped without framing when no needle is in it, it is
   * an object (`{` ... `}`), and no wrapper key is in it (a wrapper line holds many records
   * and is framed to count them). A line broken inside, between its braces, is then counted
   * as skipped rather than reported: it could not have held a stop.
   */
  #canSkipLine(b: Buffer, from: number, to: number): boolean {
    if (this.#ctx !== TOP || this.#skipLine || this.#lineHasValue || !this.#returnedAny) {
      return false;
    }
    let first = from;
    while (first < to && isSpace(b[first]!)) first++;
    if (first >= to || b[first] !== LBRACE) return false;
    let last = to - 1;
    while (last > first && isSpace(b[last]!)) last--;
    if (b[last] !== RBRACE) return false;
    const start = this.#base + first;
    const end = this.#base + last + 1;
    return !this.#needles!.has(start, end) && !this.#needles!.hasMark(start, end);
  }

  /**
   * Ends the input. `truncated` says the bytes were cut (a damaged gzip): an unfinished
   * value is then expected and not reported again.
   */
  end(options: { truncated?: boolean } = {}): FramerOutput {
    if (this.#mode === LINES && !this.#broken && !this.#skipLine) {
      if (!(options.truncated && (this.#ctx !== TOP || this.#inString))) this.#endLine();
    } else if (!this.#broken && !options.truncated && !this.#skipLine) {
      if (this.#ctx !== TOP || this.#inString) {
        const what =
          this.#ctx === ARRAY
            ? 'before its array is closed'
            : `inside the JSON value that starts at line ${this.#docOpen ? this.#docLine : this.#valueLine}`;
        this.#fail(`the file ends ${what}; it may be truncated`, false);
      }
    }
    this.#parts = [];
    return this.#flush();
  }

  #flush(): FramerOutput {
    const output = { documents: this.#documents, skipped: this.#skipped, issues: this.#issues };
    this.#documents = [];
    this.#skipped = 0;
    this.#issues = [];
    return output;
  }

  /** Scans `[i, end)`; returns early when the layout turns out to be JSON lines. */
  #scan(b: Buffer, i: number, end: number): number {
    const wasLines = this.#mode === LINES;
    while (i < end && !this.#broken && !this.#skipLine) {
      if (this.#inString) {
        i = this.#resumeString(b, i, end);
        continue;
      }
      switch (this.#ctx) {
        case VALUE:
          i = this.#scanValue(b, i, end);
          break;
        case OBJECT:
          i = this.#scanObject(b, i, end);
          break;
        case ARRAY:
          i = this.#scanArray(b, i, end);
          break;
        case SCALAR:
          i = this.#scanScalar(b, i, end);
          break;
        default:
          i = this.#scanTop(b, i, end);
          if (!wasLines && this.#mode === LINES) return i;
      }
    }
    return this.#broken || this.#skipLine ? end : i;
  }

  /**
   * Deep inside a value with the chunk indexed: only the brackets and line breaks outside
   * strings are visited. The index read the chunk from the same string state, and its
   * reading matches the byte loop's wherever the value starts outside a string.
   */
  #walkValue(b: Buffer, i: number, end: number): number {
    const positions = STRUCTURAL!.positions;
    const count = positions.length;
    let k = this.#cursor;
    while (k < count && positions[k]! < i) k++;
    let depth = this.#depth;
    let line = this.#line;
    const floor = this.#floor;
    for (; k < count; k++) {
      const at = positions[k]!;
      if (at >= end) break;
      const c = b[at];
      if (c === LBRACE || c === LBRACKET) {
        depth++;
      } else if (c === NEWLINE) {
        line++;
      } else if (--depth === floor) {
        this.#cursor = k + 1;
        this.#depth = depth;
        this.#line = line;
        this.#valueClosed(b, at + 1);
        return at + 1;
      }
    }
    this.#cursor = k;
    this.#depth = depth;
    this.#line = line;
    if (STRUCTURAL!.inString(end - 1)) this.#openString(b, i, end, ROLE_SKIP);
    return end;
  }

  /** The hot loop: depth and strings only, until the value closes or the range ends. */
  #scanValue(b: Buffer, i: number, end: number): number {
    // The index agrees from here when it, too, is outside a string before byte `i`.
    if (this.#indexed && this.#mode !== LINES && (i === 0 || !STRUCTURAL!.inString(i - 1))) {
      return this.#walkValue(b, i, end);
    }
    let depth = this.#depth;
    let line = this.#line;
    const floor = this.#floor;
    for (; i < end; i++) {
      const c = b[i];
      if (c === QUOTE) {
        let q = i;
        for (;;) {
          q = b.indexOf(QUOTE, q + 1);
          if (q === -1 || q >= end) {
            this.#depth = depth;
            this.#line = line;
            this.#openString(b, i + 1, end, ROLE_SKIP);
            return end;
          }
          if (b[q - 1] !== BACKSLASH) break;
          let k = q - 1;
          while (b[k] === BACKSLASH) k--;
          if (((q - 1 - k) & 1) === 0) break;
        }
        i = q;
      } else if (c === LBRACE || c === LBRACKET) {
        depth++;
      } else if (c === RBRACE || c === RBRACKET) {
        if (--depth === floor) {
          this.#depth = depth;
          this.#line = line;
          this.#valueClosed(b, i + 1);
          return i + 1;
        }
      } else if (c === NEWLINE) {
        line++;
      }
    }
    this.#depth = depth;
    this.#line = line;
    return end;
  }

  #valueClosed(b: Buffer, after: number): void {
    if (this.#returnTo === ARRAY) {
      this.#emit(b, after);
      this.#ctx = ARRAY;
      this.#arrayState = 2;
    } else {
      this.#ctx = OBJECT;
      this.#objectState = 3;
    }
  }

  #scanTop(b: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === SPACE || c === TAB || c === RETURN) continue;
      if (c === NEWLINE) {
        this.#line++;
        if (this.#mode === FIRST_DONE) {
          this.#mode = LINES;
          return i + 1;
        }
        continue;
      }
      if (this.#mode === FIRST_DONE) this.#mode = STREAM;
      if (this.#mode === LINES && this.#lineHasValue) {
        this.#fail(`text follows the JSON value on the same line`);
        return end;
      }
      this.#valueLine = this.#line;
      if (c === LBRACE) {
        if (this.#mode === UNDECIDED) this.#firstValueLine = this.#line;
        this.#depth = 1;
        this.#ctx = OBJECT;
        this.#objectState = 0;
        this.#wrapperKey = undefined;
        this.#objectIsWrapper = false;
        this.#openDocument(i);
        return i + 1;
      }
      if (c === LBRACKET) {
        if (this.#mode === UNDECIDED) this.#mode = STREAM;
        this.#depth = 1;
        this.#ctx = ARRAY;
        this.#arrayState = 0;
        this.#container = undefined;
        return i + 1;
      }
      this.#fail(`found ${describeByte(c)} where a JSON object or array should start`);
      return end;
    }
    return end;
  }

  #scanObject(b: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = b[i]!;
      switch (c) {
        case SPACE:
        case TAB:
        case RETURN:
          continue;
        case NEWLINE:
          this.#line++;
          continue;
        case QUOTE: {
          const state = this.#objectState;
          if (state !== 0 && state !== 2) {
            return this.#unexpected(c, end);
          }
          const q = findQuote(b, i + 1, end, i + 1);
          if (q === -1) {
            this.#openString(b, i + 1, end, state === 0 ? ROLE_KEY : ROLE_MEMBER);
            return end;
          }
          if (state === 0) {
            this.#wrapperKey = matchWrapper(b, i + 1, q);
            this.#objectState = 1;
          } else {
            this.#objectState = 3;
          }
          i = q;
          continue;
        }
        case COLON:
          if (this.#objectState !== 1) return this.#unexpected(c, end);
          this.#objectState = 2;
          continue;
        case COMMA:
          if (this.#objectState !== 3) return this.#unexpected(c, end);
          this.#objectState = 0;
          this.#wrapperKey = undefined;
          continue;
        case LBRACKET:
        case LBRACE:
          if (this.#objectState !== 2) return this.#unexpected(c, end);
          this.#depth = 2;
          if (c === LBRACKET && this.#wrapperKey !== undefined) {
            // A wrapper: its elements are the documents and the object itself is not one.
            this.#objectIsWrapper = true;
            this.#closeDocument();
            this.#ctx = ARRAY;
            this.#arrayState = 0;
            this.#container = this.#wrapperKey;
            return i + 1;
          }
          this.#floor = 1;
          this.#returnTo = OBJECT;
          this.#ctx = VALUE;
          return i + 1;
        case RBRACE:
          if (this.#objectState === 1 || this.#objectState === 2) return this.#unexpected(c, end);
          this.#depth = 0;
          if (!this.#objectIsWrapper) this.#emit(b, i + 1);
          this.#topValueDone();
          return i + 1;
        default:
          // A bare number, true, false or null as a member value.
          if (this.#objectState === 2) this.#objectState = 3;
          else if (this.#objectState !== 3) return this.#unexpected(c, end);
      }
    }
    return end;
  }

  #scanArray(b: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === SPACE || c === TAB || c === RETURN) continue;
      if (c === NEWLINE) {
        this.#line++;
        continue;
      }
      if (c === RBRACKET) {
        if (this.#arrayState === 1) return this.#unexpected(c, end);
        this.#depth--;
        if (this.#depth === 0) {
          this.#topValueDone();
        } else {
          this.#ctx = OBJECT;
          this.#objectState = 3;
          this.#container = undefined;
        }
        return i + 1;
      }
      if (c === COMMA) {
        if (this.#arrayState !== 2) return this.#unexpected(c, end);
        this.#arrayState = 1;
        continue;
      }
      if (this.#arrayState === 2) return this.#unexpected(c, end);
      if (c === LBRACE || c === LBRACKET) {
        this.#openDocument(i);
        this.#floor = this.#depth;
        this.#depth++;
        this.#returnTo = ARRAY;
        this.#ctx = VALUE;
        return i + 1;
      }
      if (c === QUOTE) {
        this.#openDocument(i);
        const q = findQuote(b, i + 1, end, i + 1);
        if (q === -1) {
          this.#openString(b, i + 1, end, ROLE_ELEMENT);
          return end;
        }
        this.#emit(b, q + 1);
        this.#arrayState = 2;
        i = q;
        continue;
      }
      if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
        this.#openDocument(i);
        this.#ctx = SCALAR;
        return i + 1;
      }
      return this.#unexpected(c, end);
    }
    return end;
  }

  /** A number, true, false or null as an array element: it ends at the next delimiter. */
  #scanScalar(b: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = b[i]!;
      if (
        c === COMMA ||
        c === RBRACKET ||
        c === RBRACE ||
        c === SPACE ||
        c === NEWLINE ||
        c === TAB ||
        c === RETURN
      ) {
        this.#emit(b, i);
        this.#ctx = ARRAY;
        this.#arrayState = 2;
        return i;
      }
    }
    return end;
  }

  /** A string runs past the range: remember its role and whether a backslash is pending. */
  #openString(b: Buffer, from: number, end: number, role: number): void {
    this.#inString = true;
    this.#role = role;
    let k = end - 1;
    while (k >= from && b[k] === BACKSLASH) k--;
    this.#escapeNext = ((end - 1 - k) & 1) === 1;
    if (role === ROLE_KEY) {
      this.#keyHead = end - from <= LONGEST_WRAPPER ? Array.from(b.subarray(from, end)) : undefined;
    }
  }

  #resumeString(b: Buffer, i: number, end: number): number {
    let from = i;
    if (this.#escapeNext) {
      from++;
      this.#escapeNext = false;
      if (this.#role === ROLE_KEY) this.#keyHead = undefined;
      if (from >= end) return end;
    }
    const q = findQuote(b, from, end, from);
    if (q === -1) {
      const head = this.#keyHead;
      this.#openString(b, from, end, this.#role);
      if (this.#role === ROLE_KEY) {
        this.#keyHead =
          head !== undefined && head.length + end - from <= LONGEST_WRAPPER
            ? head.concat(Array.from(b.subarray(from, end)))
            : undefined;
      }
      return end;
    }
    this.#inString = false;
    switch (this.#role) {
      case ROLE_KEY: {
        const head = this.#keyHead;
        const key =
          head !== undefined ? Buffer.concat([Buffer.from(head), b.subarray(from, q)]) : undefined;
        this.#wrapperKey = key !== undefined ? matchWrapper(key, 0, key.length) : undefined;
        this.#objectState = 1;
        break;
      }
      case ROLE_MEMBER:
        this.#objectState = 3;
        break;
      case ROLE_ELEMENT:
        this.#emit(b, q + 1);
        this.#arrayState = 2;
        break;
      default:
    }
    return q + 1;
  }

  #topValueDone(): void {
    this.#ctx = TOP;
    if (this.#mode === UNDECIDED) {
      this.#mode = this.#line === this.#firstValueLine ? FIRST_DONE : STREAM;
    } else if (this.#mode === LINES) {
      this.#lineHasValue = true;
    }
  }

  /** JSON lines: a line must hold one whole value; a broken line is reported and skipped. */
  #endLine(): void {
    if (!this.#skipLine && (this.#ctx !== TOP || this.#inString)) {
      this.#fail('the line ends before its JSON value is complete');
    }
    this.#reset();
    this.#skipLine = false;
    this.#lineHasValue = false;
    this.#line++;
  }

  #reset(): void {
    this.#ctx = TOP;
    this.#depth = 0;
    this.#inString = false;
    this.#escapeNext = false;
    this.#container = undefined;
    this.#docOpen = false;
    this.#parts = [];
    this.#pendingHit = false;
  }

  #openDocument(at: number): void {
    this.#docOpen = true;
    this.#docStart = this.#base + at;
    this.#docLine = this.#line;
    this.#parts = [];
    this.#pendingHit = false;
  }

  #closeDocument(): void {
    this.#docOpen = false;
    this.#parts = [];
    this.#pendingHit = false;
  }

  #emit(b: Buffer, after: number): void {
    const index = this.#index++;
    const end = this.#base + after;
    const keep =
      !this.#returnedAny ||
      this.#needles === undefined ||
      this.#pendingHit ||
      this.#needles.has(this.#docStart, end);
    if (keep || this.#onSkipped !== undefined) {
      const start = this.#docStart - this.#base;
      const bytes =
        start >= 0
          ? b.subarray(start, after)
          : Buffer.concat([...this.#parts, b.subarray(0, after)]);
      if (!keep) {
        this.#skipped++;
        this.#onSkipped!(bytes, this.#container);
        this.#closeDocument();
        return;
      }
      const at = { path: this.#path, index, line: this.#docLine };
      this.#documents.push(
        this.#container === undefined ? { at, bytes } : { at, container: this.#container, bytes },
      );
      this.#returnedAny = true;
    } else {
      this.#skipped++;
    }
    this.#closeDocument();
  }

  /** The part of an open document in this chunk is kept for when the document ends. */
  #carryOver(chunk: Buffer): void {
    if (!this.#docOpen) return;
    const start = Math.max(0, this.#docStart - this.#base);
    this.#parts.push(chunk.subarray(start));
    if (!this.#pendingHit && this.#needles !== undefined) {
      this.#pendingHit = this.#needles.has(this.#docStart, this.#base + chunk.length);
    }
  }

  #unexpected(c: number, end: number): number {
    const expected =
      this.#ctx === OBJECT
        ? ["a quoted key or '}'", "':'", 'a value', "',' or '}'"][this.#objectState]
        : ["an element or ']'", 'an element', "',' or ']'"][this.#arrayState];
    this.#fail(`expected ${expected}, found ${describeByte(c)}`);
    return end;
  }

  #fail(what: string, more = true): void {
    const lines = this.#mode === LINES;
    const index = this.#index;
    const line = this.#line;
    const message = lines
      ? `Cannot read "${this.#path}": line ${line} is not valid JSON (${what}); the line was skipped`
      : `Cannot read "${this.#path}": invalid JSON at line ${line} (document ${index}): ${what}${more ? '; the rest of the file was skipped' : ''}`;
    this.#issues.push({ type: 'invalid_json', at: { path: this.#path, index, line }, message });
    this.#closeDocument();
    if (lines) {
      // The bad line takes its place in the numbering, unless its value was already read.
      if (!this.#lineHasValue) this.#index++;
      this.#skipLine = true;
    } else {
      this.#broken = true;
    }
  }
}

/** The closing quote of a string whose content starts at or after `lower`, or -1. */
function findQuote(b: Buffer, from: number, end: number, lower: number): number {
  let q = from - 1;
  for (;;) {
    q = b.indexOf(QUOTE, q + 1);
    if (q === -1 || q >= end) return -1;
    if (q === lower || b[q - 1] !== BACKSLASH) return q;
    let k = q - 1;
    while (k >= lower && b[k] === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q;
  }
}

function matchWrapper(b: Buffer, start: number, end: number): string | undefined {
  const length = end - start;
  for (let w = 0; w < WRAPPER_BYTES.length; w++) {
    const key = WRAPPER_BYTES[w]!;
    if (key.length !== length) continue;
    let k = 0;
    while (k < length && b[start + k] === key[k]) k++;
    if (k === length) return WRAPPER_KEYS[w];
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === RETURN;
}

function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
