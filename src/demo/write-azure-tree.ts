import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HOUR, pad2 } from './_calendar.ts';
import type { AzurePlaced } from './azure-month.ts';
import type { WrittenTree } from './write-aws-tree.ts';

/**
 * Writes records as an Activity Log diagnostic setting writes them to a storage account:
 * `insights-activity-logs/resourceId=/<RESOURCE ID>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`,
 * one JSON record per line.
 */
export async function writeAzureTree(
  root: string,
  records: readonly AzurePlaced[],
): Promise<WrittenTree> {
  const files = new Map<string, string[]>();
  for (const placed of records) {
    const at = new Date(Math.floor(placed.time / HOUR) * HOUR);
    const path =
      `insights-activity-logs/resourceId=${placed.resourceId.toUpperCase()}` +
      `/y=${at.getUTCFullYear()}/m=${pad2(at.getUTCMonth() + 1)}/d=${pad2(at.getUTCDate())}/h=${pad2(at.getUTCHours())}/m=00/PT1H.json`;
    const lines = files.get(path) ?? [];
    files.set(path, lines);
    lines.push(JSON.stringify(placed.record));
  }
  for (const path of [...files.keys()].sort()) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), files.get(path)!.join('\n') + '\n');
  }
  return { files: files.size, records: records.length };
}
