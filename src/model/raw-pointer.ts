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

/** `file.json:12` / `file.json#3` / `file.json:12[4]`: the short form used in messages. */
export function formatPointer(at: RawPointer): string {
  const where = at.line !== undefined ? `:${at.line}` : `#${at.index}`;
  const member = at.member !== undefined ? `[${at.member}]` : '';
  return `${at.path}${where}${member}`;
}
