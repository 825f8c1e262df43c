/**
 * `readDocuments` on a gzipped `{"Records":[...]}` file against decompression alone, in this
 * process: how much the framing and the prefilter add to the physical floor of reading
 * gzipped logs. CPU time is reported beside wall time because the machine may be shared.
 *
 *   npx tsx bench/framing/gzip.ts [megabytes]
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGunzip, gzipSync } from 'node:zlib';
import { readDocuments } from '../../src/sources/index.ts';
import { generateRecordsFile } from './_generate.ts';

export interface GzipFigure {
  readonly label: string;
  readonly mb: number;
  readonly mbPerSecond: number;
  readonly cpuMsPerMb: number;
}

async function gunzipOnly(path: string): Promise<void> {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  createReadStream(path, { highWaterMark: 1 << 20 }).pipe(gunzip);
  for await (const chunk of gunzip) void chunk;
}

async function frameAll(path: string): Promise<void> {
  for await (const batch of readDocuments({ path }, { needles: ['"StopInstances'] })) {
    void batch;
  }
}

/** Best of `rounds` for each, on one generated file of about `bytes` uncompressed. */
export async function benchGzip(
  options: { bytes?: number; rounds?: number } = {},
): Promise<GzipFigure[]> {
  const raw = generateRecordsFile(options.bytes ?? 256 * 1024 * 1024);
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-gzip-'));
  const path = join(dir, 'records.json.gz');
  writeFileSync(path, gzipSync(raw));
  const mb = raw.length / 1e6;
  const figures: GzipFigure[] = [];
  try {
    for (const [label, run] of [
      ['gunzip alone (node:zlib)', gunzipOnly],
      ['readDocuments, AWS needle', frameAll],
    ] as const) {
      let wall = Infinity;
      let cpu = Infinity;
      for (let round = 0; round < (options.rounds ?? 3); round++) {
        const started = performance.now();
        const usage = process.cpuUsage();
        await run(path);
        const used = process.cpuUsage(usage);
        wall = Math.min(wall, (performance.now() - started) / 1000);
        cpu = Math.min(cpu, (used.user + used.system) / 1000);
      }
      figures.push({ label, mb, mbPerSecond: mb / wall, cpuMsPerMb: cpu / mb });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const megabytes = Number(process.argv[2] ?? 256);
  for (const figure of await benchGzip({ bytes: megabytes * 1024 * 1024 })) {
    console.log(
      `${figure.label.padEnd(28)} ${figure.mb.toFixed(0)} MB  ${figure.mbPerSecond.toFixed(0)} MB/s wall, ` +
        `${figure.cpuMsPerMb.toFixed(2)} ms CPU per MB`,
    );
  }
}
