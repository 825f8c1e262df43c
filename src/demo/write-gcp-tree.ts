import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HOUR, datePath, pad2 } from './_calendar.ts';
import type { GcpPlaced } from './gcp-month.ts';
import type { WrittenTree } from './write-aws-tree.ts';

/**
 * Writes entries as a Cloud Logging sink writes them to Cloud Storage: one folder per log
 * (`cloudaudit.googleapis.com/activity`, `…/data_access`, `…/system_event`), one file of
 * JSON lines per hour, `HH:00:00_HH:59:59_S0.json`.
 */
export async function writeGcpTree(
  root: string,
  entries: readonly GcpPlaced[],
): Promise<WrittenTree> {
  const files = new Map<string, string[]>();
  for (const placed of entries) {
    const hourStart = Math.floor(placed.time / HOUR) * HOUR;
    const hour = pad2(new Date(hourStart).getUTCHours());
    const path = `cloudaudit.googleapis.com/${placed.log}/${datePath(hourStart)}/${hour}:00:00_${hour}:59:59_S0.json`;
    const lines = files.get(path) ?? [];
    files.set(path, lines);
    lines.push(JSON.stringify(placed.entry));
  }
  for (const path of [...files.keys()].sort()) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), files.get(path)!.join('\n') + '\n');
  }
  return { files: files.size, records: entries.length };
}
