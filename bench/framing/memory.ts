/**
 * Bounded memory, measured: writes a 2 GB JSON array and a 2 GB JSON-lines file of
 * CloudTrail-like records to a temporary folder, streams each through `readDocuments` (with
 * the stop needles, parsing the documents the prefilter keeps, as the scan does) in a fresh
 * process, and prints the peak resident set size of that process. The files are deleted.
 *
 *   npx tsx bench/framing/memory.ts [gigabytes]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../../src/errors.ts';
import { readDocuments } from '../../src/sources/index.ts';
import { createRecordGenerator } from './_generate.ts';
import { STOP_NEEDLES } from './framer.ts';

export interface MemoryFigure {
  readonly label: string;
  readonly mb: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** A pool of distinct records written over and over: generating 2 GB afresh would dominate. */
async function writeFile(path: string, bytes: number, layout: 'array' | 'lines'): Promise<number> {
  const generator = createRecordGenerator(7);
  const pool = Array.from({ length: 4096 }, () => generator.next());
  const out = createWriteStream(path);
  let size = 0;
  let k = 0;
  let block: string[] = [];
  let blockSize = 0;
  async function flush(): Promise<void> {
    if (!out.write(block.join(''))) await once(out, 'drain');
    block = [];
    blockSize = 0;
  }
  if (layout === 'array') block.push('[\n');
  while (size < bytes) {
    const record = pool[k++ % pool.length]!;
    const piece = layout === 'array' ? (k === 1 ? record : `,\n${record}`) : `${record}\n`;
    block.push(piece);
    blockSize += piece.length;
    size += piece.length;
    if (blockSize > 8 << 20) await flush();
  }
  if (layout === 'array') block.push('\n]\n');
  await flush();
  out.end();
  await once(out, 'finish');
  return size;
}

/** Reads one file in this process and reports figures as one JSON line on stdout. */
async function measure(path: string): Promise<void> {
  const started = performance.now();
  let documents = 0;
  let parsed = 0;
  let decoded = 0;
  for await (const batch of readDocuments({ path }, { needles: STOP_NEEDLES })) {
    documents += batch.documents.length + batch.skipped;
    decoded += batch.bytesDecoded;
    for (const document of batch.documents) {
      if (document.bytes !== undefined) JSON.parse(document.bytes.toString('utf8'));
      parsed++;
    }
    if (batch.issues.length > 0) throw new AppError(batch.issues[0]!.message);
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ documents, parsed, mb: decoded / 1e6, seconds, peakRssMb }));
}

/**
 * Figures for a JSON array and a JSON-lines file of `bytes` each (2 GiB by default), each
 * read in its own process so one peak does not hide the other.
 *
 * @example
 * const figures = await benchFramingMemory({ bytes: 256 * 1024 * 1024 });
 */
export async function benchFramingMemory(
  options: { bytes?: number } = {},
): Promise<MemoryFigure[]> {
  const bytes = options.bytes ?? 2 * 1024 * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'haltwatch-memory-'));
  const script = fileURLToPath(import.meta.url);
  const figures: MemoryFigure[] = [];
  try {
    for (const layout of ['array', 'lines'] as const) {
      const path = join(dir, `${layout}.json`);
      await writeFile(path, bytes, layout);
      const child = spawnSync(process.execPath, ['--import', 'tsx', script, '--measure', path], {
        encoding: 'utf8',
      });
      rmSync(path, { force: true });
      if (child.status !== 0) throw new AppError(`Memory benchmark child failed: ${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as MemoryFigure & {
        documents: number;
      };
      figures.push({
        label: layout === 'array' ? 'JSON array' : 'JSON lines',
        mb: result.mb,
        seconds: result.seconds,
        peakRssMb: result.peakRssMb,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--measure') {
    await measure(process.argv[3]!);
  } else {
    const gigabytes = Number(process.argv[2] ?? 2);
    for (const figure of await benchFramingMemory({ bytes: gigabytes * 1024 * 1024 * 1024 })) {
      console.log(
        `${figure.label.padEnd(11)} ${figure.mb.toFixed(0)} MB in ${figure.seconds.toFixed(1)} s ` +
          `(${(figure.mb / figure.seconds).toFixed(0)} MB/s), peak RSS ${figure.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
}
