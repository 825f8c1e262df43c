/**
 * One measurement in its own process, so that its peak RSS is its own. Prints one JSON
 * line: `{ elapsedMs, bytes, records, stops, maxRssMb }`. Run by `bench/run.ts`:
 *
 *   tsx bench/measure.ts zlib <tree dir>
 *   tsx bench/measure.ts duckdb <tree dir> <threads> [typed]
 *   tsx bench/measure.ts haltwatch <tree dir> <workers> [identity]
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { scanPaths } from '../src/pipeline/scan.ts';

export interface Measurement {
  readonly elapsedMs: number;
  /** Uncompressed bytes, when the tool reports them. */
  readonly bytes?: number;
  readonly records?: number;
  readonly stops: number;
  readonly maxRssMb: number;
  /** CPU time of the measured part, every thread of the process. */
  readonly cpuMs: number;
}

async function treePaths(dir: string): Promise<string[]> {
  return JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')).tree.paths;
}

/**
 * The physical floor: read and gunzip every object whole, one thread, nothing parsed, in
 * the cheapest form Node has (synchronous calls, no stream, no thread pool).
 */
async function zlibOnly(dir: string): Promise<Omit<Measurement, 'maxRssMb' | 'cpuMs'>> {
  const paths = await treePaths(dir);
  const start = performance.now();
  let bytes = 0;
  for (const path of paths) bytes += gunzipSync(readFileSync(path)).length;
  return { elapsedMs: performance.now() - start, bytes, stops: 0 };
}

/**
 * DuckDB's `read_json` with the filter, in two forms: as a user writes it (`read_json(glob)`,
 * the schema detected from the data, every field of every record parsed into columns) and
 * typed to the one field the filter reads, DuckDB's fastest honest form of the query.
 */
async function duckdb(
  dir: string,
  threads: number,
  typed: boolean,
): Promise<Omit<Measurement, 'maxRssMb' | 'cpuMs'>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const glob = join(dir, 'AWSLogs', '**', '*.json.gz').replace(/'/g, "''");
  const source = typed
    ? `read_json('${glob}', format = 'newline_delimited', compression = 'gzip',
                 columns = {Records: 'STRUCT(eventName VARCHAR)[]'}, maximum_object_size = 67108864)`
    : `read_json('${glob}')`;
  const sql = `SELECT count(*) AS stops FROM (SELECT unnest(Records) AS r FROM ${source})
    WHERE r.eventName = 'StopInstances'`;
  const start = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const elapsedMs = performance.now() - start;
  const stops = Number(reader.getRowObjects()[0]!['stops']);
  connection.closeSync();
  return { elapsedMs, stops };
}

/** `scan` (stops), or with `identity` what `scan --resolve` reads: stops and role-issuing events. */
async function haltwatch(
  dir: string,
  workers: number,
  identity: boolean,
): Promise<Omit<Measurement, 'maxRssMb' | 'cpuMs'>> {
  const start = performance.now();
  const include = identity ? 'identity' : 'stops';
  const result = await scanPaths([join(dir, 'AWSLogs')], { include, workers });
  return {
    elapsedMs: performance.now() - start,
    bytes: result.stats.bytesDecoded,
    records: result.stats.records,
    stops: result.stops.length,
  };
}

async function main(): Promise<void> {
  const [mode, dir, arg, form] = process.argv.slice(2);
  if (!mode || !dir) {
    process.stderr.write('usage: measure.ts zlib|duckdb|haltwatch <tree dir> [threads]\n');
    process.exitCode = 2;
    return;
  }
  const n = Number(arg ?? 1);
  const cpuStart = process.cpuUsage();
  const figures =
    mode === 'zlib'
      ? await zlibOnly(dir)
      : mode === 'duckdb'
        ? await duckdb(dir, n, form === 'typed')
        : await haltwatch(dir, n, form === 'identity');
  const cpuUsed = process.cpuUsage(cpuStart);
  // maxRSS is in kilobytes and covers every thread of this process.
  const measurement: Measurement = {
    ...figures,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
  };
  process.stdout.write(JSON.stringify(measurement) + '\n');
}

await main();
