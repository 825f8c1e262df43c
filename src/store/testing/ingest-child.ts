/*
 * A child process for the crash-safety tests: ingests files (`argv[3..]`) into the store at
 * `argv[2]`, printing one line per committed batch so the parent can kill it with SIGKILL
 * at chosen points. The files are JSON lines of model events, or with
 * `HALTWATCH_CHILD_SCAN=real` cloud exports read by the real scanner.
 */
import { readFile } from 'node:fs/promises';
import type { AuditEvent, EpochMs } from '../../model/index.ts';
import type { CoverageCount } from '../../pipeline/types.ts';
import type { InputFile } from '../../sources/index.ts';
import { ingestPaths, type IngestBatch } from '../ingest-paths.ts';
import { openStore } from '../open-store.ts';

const BATCH = 250;
const HOUR = 3_600_000;

async function* scanLines(file: InputFile): AsyncIterable<IngestBatch> {
  const lines = (await readFile(file.path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i < lines.length; i += BATCH) {
    const events = lines.slice(i, i + BATCH).map((l) => JSON.parse(l) as AuditEvent);
    const counts = new Map<string, CoverageCount>();
    for (const e of events) {
      const hour = (e.time - (e.time % HOUR)) as EpochMs;
      const key = `${e.scope.account}|${e.scope.region}|${hour}`;
      const old = counts.get(key);
      counts.set(key, {
        provider: e.provider,
        account: e.scope.account ?? '',
        region: e.scope.region ?? '',
        hour,
        records: (old?.records ?? 0) + 1,
      });
    }
    yield {
      events,
      issues: [],
      records: events.length,
      shapes: {},
      bytesRead: 0,
      bytesDecoded: 0,
      coverage: [...counts.values()],
    } as IngestBatch;
  }
}

const [url, ...paths] = process.argv.slice(2);
const store = await openStore(url!);
let batches = 0;
// HALTWATCH_CHILD_SCAN=real reads cloud exports with the real scanner instead of model lines.
const real = process.env.HALTWATCH_CHILD_SCAN === 'real';
// HALTWATCH_CHILD_WORKERS sets the scan workers of the real scanner (default: by input size).
const workers = process.env.HALTWATCH_CHILD_WORKERS;
const summary = await ingestPaths(store, paths, {
  ...(real ? {} : { scan: scanLines }),
  ...(workers !== undefined ? { workers: Number(workers) } : {}),
  eventsPerTransaction: BATCH,
  // Called after each committed batch and each finished file.
  onProgress: () => process.stdout.write(`batch ${++batches}\n`),
});
await store.close();
process.stdout.write(
  `done ${JSON.stringify({ filesNew: summary.filesNew, filesSkipped: summary.filesSkipped })}\n`,
);
