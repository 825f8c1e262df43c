import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { createGunzip, gunzip, gunzipSync } from 'node:zlib';
import { SourceError } from '../errors.ts';
import type { RecordIssue } from '../model/index.ts';
import { describeSystemError, fileIssue, isSystemError } from './_file-issue.ts';
import { csvRows } from './csv-rows.ts';
import { JsonFramer } from './json-framer.ts';
import { firstContentByte, isGzip, sniffFormat } from './sniff-format.ts';
import { INDEX_SLICE } from './structural-index.ts';
import type { FrameBatch, FrameOptions, InputFile, NeedleSet, RawDocument } from './types.ts';

/** Large reads keep per-chunk overhead (one batch, one needle pass) small against the bytes. */
const READ_CHUNK = 1 << 20;
/*
 * A quarter MiB of output at a time lets zlib (on the thread pool) inflate the next piece
 * of a delivery file while this thread frames the last one; a whole-file chunk leaves the
 * two waiting on each other. Measured on the 1 GB bench tree with 2 workers: about 5 %
 * faster and 20 MB less peak memory than 1 MiB.
 */
const GUNZIP_CHUNK = 256 * 1024;
/** Smallest buffers for small files; see `chunkSizes`. */
const MIN_CHUNK = 16 * 1024;
/** Gzip'd audit JSON rarely expands more than this; a bigger file just takes more chunks. */
const GZIP_RATIO = 16;

/*
 * Buffers sized to the file: a 1 MiB read buffer and a 1 MiB gunzip buffer for a 4 KiB
 * file cost nothing to fill but are allocated all the same, and a folder of thousands of
 * small delivery files (an Azure `PT1H.json` tree) then spends a third of its time
 * collecting garbage for memory it never used.
 */
function chunkSizes(file: InputFile): { read: number; gunzip: number } {
  if (file.size === undefined) return { read: READ_CHUNK, gunzip: GUNZIP_CHUNK };
  const read = Math.min(READ_CHUNK, Math.max(MIN_CHUNK, file.size));
  return { read, gunzip: Math.min(GUNZIP_CHUNK, Math.max(MIN_CHUNK, read * GZIP_RATIO)) };
}
/*
 * Delivery files (CloudTrail's few-MB objects, Azure's hourly PT1H.json, GCS sink shards)
 * are read and inflated whole: one read and one zlib call instead of a stream of chunks,
 * each with its buffers, callbacks and promises. On the 1 GB bench tree with 2 workers that
 * took CPU from 3.38 s to 2.43 s, most of the difference garbage collection. Bigger files,
 * and gzip whose trailer announces more than `WHOLE_INFLATE_MAX`, are streamed so memory
 * stays bounded whatever the input.
 */
const WHOLE_READ_MAX = 4 << 20;
const WHOLE_INFLATE_MAX = 16 << 20;
const inflateWhole = promisify(gunzip);
/** Inflated in well under a millisecond: not worth a trip to the thread pool. */
const SMALL_INFLATE = 256 << 10;

function readsWhole(file: InputFile): boolean {
  return file.path !== '-' && file.size !== undefined && file.size <= WHOLE_READ_MAX;
}

/** First slice the narrowing probe frames; most first records are a few KiB. */
const PROBE_SLICE = 16 * 1024;
/** A gzip inside a gzip is unwrapped; deeper nesting is not a log export. */
const MAX_GZIP_LAYERS = 3;

interface Counters {
  read: number;
  decoded: number;
}

/**
 * Reads one file (or standard input for `-`): gunzips it when its first bytes say gzip,
 * recognises the layout from the content and cuts it into documents without parsing them.
 * Nothing here throws for bad input: an unreadable file, damaged gzip, invalid JSON, binary
 * data or an unknown format is an issue in a batch, and the documents before it are kept.
 *
 * @example
 * for await (const batch of readDocuments({ path: 'trail.json.gz' }, { needles: ['StopInstances'] })) {
 *   for (const document of batch.documents) JSON.parse(document.bytes!.toString());
 * }
 */
export async function* readDocuments(
  file: InputFile,
  options: FrameOptions = {},
): AsyncGenerator<FrameBatch> {
  const path = file.path;
  const counters: Counters = { read: 0, decoded: 0 };
  let reportedRead = 0;
  let reportedDecoded = 0;
  function batch(
    documents: readonly RawDocument[],
    skipped: number,
    issues: readonly RecordIssue[],
  ): FrameBatch {
    const out = {
      documents,
      skipped,
      issues,
      bytesRead: counters.read - reportedRead,
      bytesDecoded: counters.decoded - reportedDecoded,
    };
    reportedRead = counters.read;
    reportedDecoded = counters.decoded;
    return out;
  }

  let framer: JsonFramer | undefined;
  let gzipped = false;
  const iterators: AsyncIterator<Buffer>[] = [];
  try {
    let source: AsyncIterator<Buffer> = rawChunks(file, options, counters);
    iterators.push(source);
    let head = await nextChunk(source);
    if (head === undefined) {
      yield batch([], 0, [fileIssue(path, 'empty_file', 'the file is empty; nothing to read')]);
      return;
    }
    for (let layer = 0; isGzip(head) && layer < MAX_GZIP_LAYERS; layer++) {
      gzipped = true;
      source =
        layer === 0 && readsWhole(file)
          ? gunzipWhole(head, chunkSizes(file).gunzip)
          : gunzipChunks(head, source, chunkSizes(file).gunzip);
      iterators.push(source);
      head = await nextChunk(source);
      if (head === undefined) {
        yield batch([], 0, [fileIssue(path, 'empty_file', 'the gzip data holds nothing')]);
        return;
      }
    }
    const utf16 = utf16Encoding(head);
    if (utf16 !== undefined) {
      // PowerShell 5 writes `az ... > file.json` as UTF-16: read it as the text it is.
      source = transcode(head, source, utf16);
      iterators.push(source);
      head = await nextChunk(source);
      if (head === undefined) {
        yield batch([], 0, [
          fileIssue(path, 'empty_file', 'the file holds only a byte-order mark'),
        ]);
        return;
      }
    }
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      counters.decoded += 3;
      head = head.subarray(3);
    }
    // Whitespace before the content is kept: it counts towards line numbers.
    const leading: Buffer[] = [];
    let start = firstContentByte(head);
    while (start === -1) {
      leading.push(head);
      counters.decoded += head.length;
      const next = await nextChunk(source);
      if (next === undefined) {
        yield batch([], 0, [fileIssue(path, 'empty_file', 'the file holds only whitespace')]);
        return;
      }
      head = next;
      start = firstContentByte(head);
    }
    const sniffed = sniffFormat(head, start);
    // Cut gzip can leave a few bytes that look like nothing known: the cut is the news.
    if (gzipped && (sniffed.kind === 'binary' || sniffed.kind === 'unknown')) {
      await drainUpTo(source, FAULT_PROBE_BYTES, counters, head.length);
    }
    switch (sniffed.kind) {
      case 'binary':
        yield batch([], 0, [fileIssue(path, 'binary_data', `it is ${sniffed.what}`)]);
        return;
      case 'unknown':
        yield batch([], 0, [fileIssue(path, 'unknown_format', `it is ${sniffed.what}`)]);
        return;
      case 'csv': {
        const rows = withHead(head, source, counters);
        // Rows are parsed objects already: with `onSkipped` set none is skipped, so every
        // row reaches the caller (there are no bytes of a skipped row to hand on).
        const csvNeedles =
          options.onSkipped || !options.needles
            ? undefined
            : { needles: options.needles, anyCase: options.anyCase };
        for await (const out of csvRows(path, rows, csvNeedles)) {
          yield batch(out.documents, out.skipped, out.issues);
        }
        return;
      }
      case 'json':
        break;
      default:
        sniffed satisfies never;
    }
    let needles: NeedleSet | undefined = options.needles
      ? { needles: options.needles, anyCase: options.anyCase }
      : undefined;
    let narrow = options.narrowNeedles;
    if (narrow !== undefined && needles !== undefined) {
      // Judge the file by its first document before any chunk is searched: a delivery
      // file is usually a single chunk, so narrowing only from the next chunk on would
      // leave it searched for every cloud's needles. A needle-less framer finds that
      // document cheaply; its views are used and dropped right here.
      const probe = new JsonFramer(path, {});
      for (const chunk of leading) probe.push(chunk);
      // Growing slices: the probe stops as soon as it has the first document instead of
      // framing (and materialising) the whole first read a second time.
      const piece = head.subarray(0, INDEX_SLICE);
      let first: RawDocument | undefined;
      for (let at = 0, size = PROBE_SLICE; at < piece.length && !first; at += size, size *= 4) {
        first = probe.push(piece.subarray(at, at + size)).documents[0];
      }
      if (first !== undefined) {
        needles = narrow(first) ?? needles;
        narrow = undefined;
      }
    }
    framer = new JsonFramer(path, {
      needles: needles?.needles,
      anyCase: needles?.anyCase,
      onSkipped: options.onSkipped,
    });
    for (const chunk of leading) framer.push(chunk);
    for (
      let chunk: Buffer | undefined = head;
      chunk !== undefined;
      chunk = await nextChunk(source)
    ) {
      // Pieces no larger than the SIMD index takes, whatever size the stream hands out.
      for (let at = 0; at < chunk.length; at += INDEX_SLICE) {
        const piece = chunk.subarray(at, at + INDEX_SLICE);
        counters.decoded += piece.length;
        const out = framer.push(piece);
        if (narrow !== undefined && out.documents.length > 0) {
          framer.narrow(narrow(out.documents[0]!));
          narrow = undefined;
        }
        yield batch(out.documents, out.skipped, out.issues);
      }
    }
    const out = framer.end();
    yield batch(out.documents, out.skipped, out.issues);
  } catch (error) {
    const issue = classify(path, error, gzipped, counters);
    const out = framer?.end({ truncated: true });
    yield batch(out?.documents ?? [], out?.skipped ?? 0, [...(out?.issues ?? []), issue]);
  } finally {
    for (const iterator of iterators.reverse()) await iterator.return?.();
  }
}

function classify(path: string, error: unknown, gzipped: boolean, counters: Counters): RecordIssue {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (gzipped && (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED')) {
    const what =
      code === 'Z_BUF_ERROR'
        ? 'the gzip data ends early'
        : `the gzip data is damaged (${(error as Error).message})`;
    return fileIssue(
      path,
      'truncated_gzip',
      `${what} after ${counters.decoded} decompressed bytes; the documents before the cut were read, fetch the file again for the rest`,
    );
  }
  if (isSystemError(error)) return fileIssue(path, 'unreadable_file', describeSystemError(error));
  throw new SourceError(`Cannot read "${path}": unexpected failure`, {
    source: { path },
    cause: error,
  });
}

/** How far past an unrecognised head a gzip stream is read to see whether it was cut. */
const FAULT_PROBE_BYTES = 1 << 20;

/**
 * Reads on (and drops) up to `limit` bytes, so a damaged or truncated gzip stream throws
 * here, where the caller reports the cut rather than what the bytes before it looked like.
 */
async function drainUpTo(
  source: AsyncIterator<Buffer>,
  limit: number,
  counters: Counters,
  already: number,
): Promise<void> {
  counters.decoded += already;
  for (let seen = already; seen < limit;) {
    const chunk = await nextChunk(source);
    if (chunk === undefined) return;
    seen += chunk.length;
    counters.decoded += chunk.length;
  }
}

async function nextChunk(source: AsyncIterator<Buffer>): Promise<Buffer | undefined> {
  for (;;) {
    const step = await source.next();
    if (step.done) return undefined;
    if (step.value.length > 0) return step.value;
  }
}

async function* rawChunks(
  file: InputFile,
  options: FrameOptions,
  counters: Counters,
): AsyncGenerator<Buffer> {
  if (readsWhole(file)) {
    const bytes = readFileSync(file.path);
    counters.read += bytes.length;
    yield bytes;
    return;
  }
  const stream =
    file.path === '-'
      ? (options.stdin ?? process.stdin)
      : createReadStream(file.path, { highWaterMark: chunkSizes(file).read });
  try {
    for await (const chunk of stream) {
      const bytes = toBuffer(chunk);
      counters.read += bytes.length;
      yield bytes;
    }
  } finally {
    if (file.path !== '-' && 'destroy' in stream) (stream as Readable).destroy();
  }
}

/**
 * Inflates a whole gzip file in one zlib call when its trailer (ISIZE, the size of the last
 * member mod 2^32) says it is small. Concatenated members can hold more than the trailer
 * says, hence the cap; any failure (the cap, damaged or truncated data) goes the streaming
 * way over the same bytes, which keeps the documents before a cut and names the fault.
 */
async function* gunzipWhole(whole: Buffer, chunkSize: number): AsyncGenerator<Buffer> {
  const announced = whole.length >= 18 ? whole.readUInt32LE(whole.length - 4) : Infinity;
  if (announced <= WHOLE_INFLATE_MAX) {
    let inflated: Buffer | undefined;
    try {
      const options = {
        chunkSize: Math.max(MIN_CHUNK, announced),
        maxOutputLength: WHOLE_INFLATE_MAX,
      };
      // A scan worker has nothing else to do meanwhile: inflating in place saves the trip
      // to the thread pool (about 10 % on the bench). The main thread stays responsive,
      // but a small file is inflated in place there too: the trip costs more than the work.
      inflated =
        isMainThread && announced > SMALL_INFLATE
          ? await inflateWhole(whole, options)
          : gunzipSync(whole, options);
    } catch {
      inflated = undefined;
    }
    if (inflated !== undefined) {
      yield inflated;
      return;
    }
  }
  yield* gunzipChunks(whole, emptyChunks(), chunkSize);
}

async function* emptyChunks(): AsyncGenerator<Buffer> {}

/** Streams the gunzipped bytes; zlib works on the thread pool, beside the framing. */
async function* gunzipChunks(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  chunkSize: number,
): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize });
  const input = Readable.from(prepend(head, rest));
  input.once('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

function utf16Encoding(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

async function* transcode(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  encoding: 'utf-16le' | 'utf-16be',
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of prepend(head, rest)) {
    yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
  }
  yield Buffer.from(decoder.decode(), 'utf8');
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  for (let step = await rest.next(); !step.done; step = await rest.next()) yield step.value;
}

async function* withHead(
  head: Buffer,
  rest: AsyncIterator<Buffer>,
  counters: Counters,
): AsyncGenerator<Buffer> {
  for await (const chunk of prepend(head, rest)) {
    counters.decoded += chunk.length;
    yield chunk;
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}
