import { readFile } from 'node:fs/promises';
import type { RecordIssue } from '../model/index.ts';

/** One principal of a directory export: object id or app id → display name. */
export interface DirectoryEntry {
  readonly id: string;
  readonly name: string;
}

export interface ParsedDirectory {
  readonly entries: readonly DirectoryEntry[];
  readonly issues: readonly RecordIssue[];
}

/*
 * Column names as the exports spell them: `az ad sp list` / `az ad user list` and Microsoft
 * Graph (`id`, `appId`, `displayName`, `userPrincipalName`), the Entra admin centre's CSV
 * download (`Object ID`, `Application ID`, `Display name`). Compared without case, spaces
 * or punctuation.
 */
const ID_KEYS = [
  'id',
  'objectid',
  'principalid',
  'appid',
  'applicationid',
  'applicationclientid',
  'clientid',
];
const NAME_KEYS = ['displayname', 'name', 'appdisplayname', 'userprincipalname', 'upn', 'mail'];

function squash(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function entriesOf(row: Readonly<Record<string, unknown>>): DirectoryEntry[] {
  const byKey = new Map<string, string>();
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'string' && value.trim() !== '') byKey.set(squash(key), value.trim());
  }
  const name = NAME_KEYS.map((k) => byKey.get(k)).find((v) => v !== undefined);
  if (!name) return [];
  const ids = new Set(ID_KEYS.map((k) => byKey.get(k)).filter((v): v is string => v !== undefined));
  return [...ids].map((id) => ({ id, name }));
}

/** RFC 4180 fields: quotes, doubled quotes, commas and newlines inside quotes. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r') {
      if (text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function issue(path: string, index: number, message: string): RecordIssue {
  return { type: 'wrong_shape', at: { path, index }, message };
}

/**
 * Reads a directory export given with `--directory`: a JSON array, a Graph `{value:[…]}`
 * page, JSON lines, or CSV with a header row. Rows without an id and a name are reported,
 * not fatal. Names are data: stored and printed, never interpreted.
 *
 * @example
 * parseDirectory('id,displayName\n1b2c…,backup-automation', 'sp.csv').entries;
 */
export function parseDirectory(text: string, path: string): ParsedDirectory {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const entries: DirectoryEntry[] = [];
  const issues: RecordIssue[] = [];
  let rows: unknown[] | undefined;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (Array.isArray(doc)) rows = doc;
      else if (
        doc &&
        typeof doc === 'object' &&
        Array.isArray((doc as { value?: unknown }).value)
      ) {
        rows = (doc as { value: unknown[] }).value;
      } else rows = [doc];
    } catch {
      rows = [];
      for (const [index, line] of trimmed.split(/\r?\n/).entries()) {
        if (line.trim() === '') continue;
        try {
          rows.push(JSON.parse(line));
        } catch {
          issues.push({
            type: 'invalid_json',
            at: { path, index, line: index + 1 },
            message: `Cannot read directory file "${path}": line ${index + 1} is not JSON`,
          });
        }
      }
    }
  }
  if (rows) {
    rows.forEach((row, index) => {
      const found = row && typeof row === 'object' ? entriesOf(row as Record<string, unknown>) : [];
      if (found.length === 0)
        issues.push(
          issue(
            path,
            index,
            `Cannot read directory file "${path}": entry ${index} has no id and display name`,
          ),
        );
      entries.push(...found);
    });
    return { entries, issues };
  }
  const [header, ...body] = csvRows(trimmed);
  if (!header)
    return {
      entries,
      issues: [issue(path, 0, `Cannot read directory file "${path}": it is empty`)],
    };
  body.forEach((fields, index) => {
    const row = Object.fromEntries(header.map((key, i) => [key, fields[i] ?? '']));
    const found = entriesOf(row);
    if (found.length === 0)
      issues.push({
        ...issue(
          path,
          index,
          `Cannot read directory file "${path}": row ${index + 2} has no id and display name`,
        ),
        at: { path, index, line: index + 2 },
      });
    entries.push(...found);
  });
  return { entries, issues };
}

/** Reads and parses a directory export file. */
export async function loadDirectory(path: string): Promise<ParsedDirectory> {
  return parseDirectory(await readFile(path, 'utf8'), path);
}
