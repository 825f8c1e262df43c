import type { RawPointer } from './raw-pointer.ts';

/**
 * A fixed set of reasons a record or file was skipped. Counts are grouped by these, never
 * by raw messages, so a summary stays short however bad the input is.
 */
export type IssueType =
  | 'unreadable_file'
  | 'truncated_gzip'
  | 'binary_data'
  | 'empty_file'
  | 'invalid_json'
  | 'unknown_format'
  | 'wrong_shape'
  | 'missing_field'
  | 'invalid_field';

/** One skipped record or file, with enough location to open it and see why. */
export interface RecordIssue {
  readonly type: IssueType;
  readonly at: RawPointer;
  /** Dotted path of the offending field, when one field is to blame. */
  readonly field?: string;
  /** Sentence case, quoted values, no trailing period; says what to do where it can. */
  readonly message: string;
}
