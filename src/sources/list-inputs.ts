import type { Dirent, Stats } from 'node:fs';
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordIssue } from '../model/index.ts';
import { describeSystemError, fileIssue } from './_file-issue.ts';
import type { InputFile } from './types.ts';

/**
 * The files behind the paths a user gave: files as they are, directories walked to any
 * depth (S3 `AWSLogs/...` trees, GCS sink trees, Azure `resourceId=/.../PT1H.json` trees)
 * in name order at every level, and `-` for standard input. A path that cannot be read is
 * an issue naming it; the others are still listed. Entries whose name starts with a dot
 * (`.git`, `.DS_Store`) are passed over inside directories; a file given by name is read
 * whatever its name. A file reached twice (overlapping paths, links) is listed once.
 *
 * @example
 * for await (const input of listInputs(['logs/', '-'])) {
 *   if (isInputIssue(input)) console.error(input.message);
 *   else console.log(input.path, input.size);
 * }
 */
export async function* listInputs(
  paths: readonly string[],
): AsyncGenerator<InputFile | RecordIssue> {
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === '-') {
      if (!seen.has('-')) yield { path: '-' };
      seen.add('-');
      continue;
    }
    yield* visit(path, seen, true);
  }
}

/** Tells the issues `listInputs` yields apart from the files. */
export function isInputIssue(input: InputFile | RecordIssue): input is RecordIssue {
  return 'type' in input && 'message' in input;
}

async function* walk(
  dir: string,
  info: Stats,
  seen: Set<string>,
): AsyncGenerator<InputFile | RecordIssue> {
  // A directory already walked (a link loop, or overlapping paths) is not walked again.
  if (!firstVisit(info, seen)) return;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield fileIssue(dir, 'unreadable_file', describeSystemError(error));
    return;
  }
  const names = entries
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) yield* visit(join(dir, name), seen, false);
}

function statNow(path: string): Stats | Error {
  try {
    return statSync(path);
  } catch (error) {
    return error as Error;
  }
}

/** True the first time a file or directory (by device and inode, so links count once) is met. */
function firstVisit(info: Stats, seen: Set<string>): boolean {
  const key = `${info.dev}:${info.ino}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * One path: a directory is walked, a file is listed once however it was reached. A path
 * `named` on the command line may also be a pipe or device (`<(zcat ...)`, /dev/stdin);
 * one met inside a directory is passed over with an issue.
 */
async function* visit(
  path: string,
  seen: Set<string>,
  named: boolean,
): AsyncGenerator<InputFile | RecordIssue> {
  // An S3 day folder holds hundreds of objects. A stat of a cached inode takes microseconds
  // where a trip through the thread pool and a promise takes tens: on the 1 GB bench tree,
  // listing 1,050 files took 240 ms with `await stat` and `realpath`, 46 ms this way.
  const info = statNow(path);
  if (info instanceof Error) {
    yield fileIssue(path, 'unreadable_file', describeSystemError(info));
    return;
  }
  if (info.isDirectory()) {
    yield* walk(path, info, seen);
    return;
  }
  if (!info.isFile() && !named) {
    yield fileIssue(
      path,
      'unreadable_file',
      'it is not a regular file (a socket, pipe or device inside a directory); it was passed over',
    );
    return;
  }
  if (!firstVisit(info, seen)) return;
  // A pipe or device given by name has no size to report.
  yield info.isFile() ? { path, size: info.size } : { path };
}
