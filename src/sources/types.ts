import type { RawPointer, RecordIssue } from '../model/index.ts';

/** One input: a file found on disk (`size` known) or standard input (`path` is `-`). */
export interface InputFile {
  readonly path: string;
  readonly size?: number;
}

/**
 * One JSON document cut out of a file without parsing it, or a row already turned into an
 * object (CSV). Exactly one of `bytes` and `value` is set.
 */
export interface RawDocument {
  readonly at: RawPointer;
  /** Wrapper key the document was split out of (`Records`, `records`, `Events`, `entries`, `value`). */
  readonly container?: string;
  /** UTF-8 JSON text of the document; a view valid until the next batch is requested. */
  readonly bytes?: Buffer;
  readonly value?: unknown;
}

/** A slice of one file's documents; byte counts are increments since the previous batch. */
export interface FrameBatch {
  readonly documents: readonly RawDocument[];
  /** Documents the needle prefilter proved irrelevant: counted, never parsed. */
  readonly skipped: number;
  readonly issues: readonly RecordIssue[];
  readonly bytesRead: number;
  readonly bytesDecoded: number;
}

/**
 * What the prefilter looks for: byte strings, matched exactly, or with `anyCase` with ASCII
 * letters in either case (Azure writes one operation name as `deallocate`, `DEALLOCATE` and
 * `Deallocate`, and nothing forbids `DeAllocate`).
 */
export interface NeedleSet {
  readonly needles: readonly string[];
  readonly anyCase?: boolean;
}

export interface FrameOptions {
  /**
   * When given, a document containing none of these byte strings is counted in `skipped`
   * instead of returned. The first document of a file is always returned, so the format
   * can be recognised.
   */
  readonly needles?: readonly string[];
  /** ASCII letters of the needles match in either case (see `NeedleSet`). */
  readonly anyCase?: boolean;
  /**
   * Called once with the first document of a JSON file (the one always returned); the needles
   * it returns replace `needles` for the whole file when that document lies in the first
   * read (the usual case), else from the next chunk on, so a file recognised as one cloud's
   * export is searched for that cloud's needles only. `undefined` keeps them.
   */
  readonly narrowNeedles?: (first: RawDocument) => NeedleSet | undefined;
  /**
   * Called, synchronously, with each document the prefilter skips: a byte view valid only
   * during the call, and the wrapper key it was split out of. Coverage counts read their
   * scope, region and hour from it without parsing. Unset, skipping costs nothing extra.
   * CSV rows are parsed by the reader anyway, so with this set none is skipped.
   */
  readonly onSkipped?: (bytes: Buffer, container?: string) => void;
  /** What `-` reads; standard input when not given (tests pass a `Readable`). */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
}
