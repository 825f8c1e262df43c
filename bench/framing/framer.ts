/**
 * Framing throughput on generated CloudTrail-like data held in memory: the pure cost of
 * cutting documents and running the needle prefilter, without I/O or decompression.
 *
 *   npx tsx bench/framing/framer.ts [megabytes]
 */
import { pathToFileURL } from 'node:url';
import { needlesFor } from '../../src/pipeline/scan-file.ts';
import { providers } from '../../src/providers/registry.ts';
import { JsonFramer } from '../../src/sources/json-framer.ts';
import { createRecordGenerator, generateRecordsFile } from './_generate.ts';

export interface FramerFigure {
  readonly label: string;
  readonly mb: number;
  /** Per second of wall time: lower when other processes share the cores. */
  readonly mbPerSecond: number;
  /** Per second of this process's CPU time: the one-core figure on a shared machine. */
  readonly mbPerCpuSecond: number;
  readonly documents: number;
  readonly kept: number;
}

/** The needles a stop scan uses: the union of every provider's, as the pipeline builds it. */
export const STOP_NEEDLES: readonly string[] =
  needlesFor(Object.values(providers), 'stops')?.needles ?? [];

function generateLines(bytes: number): Buffer {
  const generator = createRecordGenerator(2);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const record = generator.next();
    parts.push(record, '\n');
    size += record.length + 1;
  }
  return Buffer.from(parts.join(''));
}

function frame(data: Buffer, chunkSize: number, needles?: readonly string[]): [number, number] {
  const framer = new JsonFramer('bench.json', { needles });
  let documents = 0;
  let kept = 0;
  for (let at = 0; at < data.length; at += chunkSize) {
    const out = framer.push(data.subarray(at, Math.min(data.length, at + chunkSize)));
    kept += out.documents.length;
    documents += out.documents.length + out.skipped;
  }
  const out = framer.end();
  kept += out.documents.length;
  documents += out.documents.length + out.skipped;
  return [documents, kept];
}

/** Best of `rounds` runs for each shape, in MB/s (1 MB = 10^6 bytes). */
export function benchFramer(options: { bytes?: number; rounds?: number } = {}): FramerFigure[] {
  const bytes = options.bytes ?? 256 * 1024 * 1024;
  const rounds = options.rounds ?? 3;
  const shapes: Array<[string, Buffer, readonly string[] | undefined]> = [];
  const records = generateRecordsFile(bytes);
  const lines = generateLines(bytes);
  shapes.push(['{"Records":[...]} no needles', records, undefined]);
  shapes.push(['{"Records":[...]} + AWS needle', records, ['"StopInstances']]);
  shapes.push(['{"Records":[...]} + all stop needles', records, STOP_NEEDLES]);
  shapes.push(['JSON lines + AWS needle', lines, ['"StopInstances']]);
  shapes.push(['JSON lines + all stop needles', lines, STOP_NEEDLES]);
  const figures: FramerFigure[] = [];
  for (const [label, data, needles] of shapes) {
    let best = Infinity;
    let bestCpu = Infinity;
    let counts: [number, number] = [0, 0];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      counts = frame(data, 1 << 20, needles);
      const used = process.cpuUsage(cpu);
      best = Math.min(best, (performance.now() - started) / 1000);
      bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    }
    const mb = data.length / 1e6;
    figures.push({
      label,
      mb,
      mbPerSecond: mb / best,
      mbPerCpuSecond: mb / bestCpu,
      documents: counts[0],
      kept: counts[1],
    });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const megabytes = Number(process.argv[2] ?? 256);
  for (const figure of benchFramer({ bytes: megabytes * 1024 * 1024 })) {
    console.log(
      `${figure.label.padEnd(38)} ${figure.mb.toFixed(0)} MB  ${figure.mbPerSecond.toFixed(0)} MB/s wall, ` +
        `${figure.mbPerCpuSecond.toFixed(0)} MB/s CPU  ` +
        `${figure.documents} documents, ${figure.kept} kept`,
    );
  }
}
