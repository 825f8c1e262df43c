/**
 * Where a normalized value came from, so every piece of evidence can be traced back to
 * the exact record in the exact file an analyst can open.
 */
export interface RawPointer {
  /** File path as given (or found under a directory); `-` for standard input. */
  readonly path: string;
  /** 0-based position of the JSON document in the file (array element, line, wrapper member). */
  readonly index: number;
  /** 1-based line where the document starts, when known. */
  readonly line?: number;
  /** 0-based position inside a document that holds several records (a page, a `Records` line). */
  readonly member?: number;
}

/**
 * `file.json:12` (line 12, the only document there), `file.json.gz:1#417` (document 417 of a
 * one-line delivery file), `file.json#3` (no line known), `…[4]` (record 4 of a page): the
 * short form used in messages and evidence pointers.
 */
export function formatPointer(at: RawPointer): string {
  const line = at.line !== undefined ? `:${at.line}` : '';
  // The document index says which record on a line holding many; alone on its line it
  // would only repeat what the line number says.
  const index = at.line === undefined || at.index + 1 !== at.line ? `#${at.index}` : '';
  const member = at.member !== undefined ? `[${at.member}]` : '';
  return `${at.path}${line}${index}${member}`;
}
