import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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

async function* walk(dir: string, seen: Set<string>): AsyncGenerator<InputFile | RecordIssue> {
  const key = await identity(dir);
  // A directory already walked (a link loop, or overlapping paths) is not walked again.
  if (seen.has(key)) return;
  seen.add(key);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield fileIssue(dir, 'unreadable_file', describeSystemError(error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    yield* visit(join(dir, entry.name), seen, false);
  }
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
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    yield fileIssue(path, 'unreadable_file', describeSystemError(error));
    return;
  }
  if (info.isDirectory()) {
    yield* walk(path, seen);
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
  const key = await identity(path);
  if (seen.has(key)) return;
  seen.add(key);
  // A pipe or device given by name has no size to report.
  yield info.isFile() ? { path, size: info.size } : { path };
}

async function identity(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}
