import type { IssueType, RecordIssue } from '../model/index.ts';

/** An issue about a whole file: it points at the file, not at a record inside it. */
export function fileIssue(path: string, type: IssueType, what: string): RecordIssue {
  return { type, at: { path, index: 0 }, message: `Cannot read "${path}": ${what}` };
}

/** What an operating-system error means for the user, and what to do about it. */
export function describeSystemError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory; check the path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; give the user running haltwatch read access';
    case 'EISDIR':
      return 'it is a directory where a file was expected';
    case 'ELOOP':
      return 'too many symbolic links; check for a link that points to itself';
    case 'ENOTDIR':
      return 'a part of the path is not a directory; check the path';
    default:
      return `the system refused (${typeof code === 'string' ? code : String(error)})`;
  }
}

/** Errors the operating system raises for a path, as opposed to a bug in this code. */
export function isSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
