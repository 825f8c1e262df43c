import type { AuditEvent, RawPointer, RecordIssue } from '../model/index.ts';
import { formatPointer, isStopAction } from '../model/index.ts';
import type { Provider, Unwrapped } from '../providers/index.ts';
import { providers as registry } from '../providers/index.ts';
import { CoverageTally } from './coverage-tally.ts';
import { keepsEvent, providerNeedles } from './include.ts';
import { credentialLinkOf } from '../context/memory-identity.ts';
import type { CredentialLink } from '../context/identity-chain.ts';
import { readDocuments } from '../sources/index.ts';
import type {
  FrameBatch,
  FrameOptions,
  InputFile,
  NeedleSet,
  RawDocument,
} from '../sources/index.ts';
import type { Include, ScanFileBatch } from './types.ts';

/** Cuts a file into JSON documents; the real one is `readDocuments`, tests pass their own. */
export type DocumentReader = (file: InputFile, options: FrameOptions) => AsyncIterable<FrameBatch>;

export interface ScanFileOptions {
  readonly include: Include;
  /** The providers to try, in order; every registered one by default. */
  readonly providers?: readonly Provider[];
  readonly read?: DocumentReader;
  /**
   * Count every record (prefilter-skipped ones by their bytes, parsed ones by their fields,
   * noise included) per provider × account × region × hour into `ScanFileBatch.coverage`.
   */
  readonly coverage?: boolean;
}

/*
 * A file whose first documents are none of ours is held back this long before it is judged
 * "not a cloud export": long enough for a few junk lines at the top of a real export.
 */
const MAX_PENDING = 100;
const MAX_MESSAGE = 200;

/**
 * The byte needles for the prefilter: the union over the providers, matched in any case if
 * one provider's must be (a wider match only lets more records through to be parsed). A
 * provider with no needles could not be prefiltered safely, so then nothing is.
 */
export function needlesFor(
  providers: readonly Provider[],
  include: Include,
): NeedleSet | undefined {
  const union = new Set<string>();
  let anyCase = false;
  for (const provider of providers) {
    const needles = providerNeedles(provider, include);
    if (needles.length === 0) return undefined;
    for (const needle of needles) union.add(needle);
    anyCase ||= provider.needles.anyCase === true;
  }
  return { needles: [...union], anyCase };
}

function clipMessage(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function describe(error: unknown): string {
  return clipMessage(error instanceof Error ? error.message : String(error));
}

interface Recognised {
  readonly provider: Provider;
  readonly unwrapped: Unwrapped;
}

/** State of one file's scan, passed through the helpers rather than held on an object. */
interface FileState {
  readonly file: InputFile;
  readonly include: Include;
  readonly providers: readonly Provider[];
  last: Provider | undefined;
  recognised: boolean;
  /**
   * Issues of documents met before any was recognised (not JSON, or JSON none of the
   * providers took), held until the file proves to be a cloud export or not.
   */
  pending: RecordIssue[];
  abandoned: boolean;
  /** The shape of the file's last records: prefilter-skipped documents are counted under it. */
  shape: string | undefined;
  /** Skipped documents met before any record was recognised, counted once a shape is known. */
  unattributed: number;
  /** Coverage counts of the batch being built, when asked for. */
  readonly tally: CoverageTally | undefined;
  /** The provider of the file's first document, known before any document is skipped. */
  guess: Provider | undefined;
}

function recognise(
  state: FileState,
  doc: unknown,
  container: string | undefined,
): Recognised | undefined {
  const order = state.last
    ? [state.last, ...state.providers.filter((p) => p !== state.last)]
    : state.providers;
  for (const provider of order) {
    let unwrapped: Unwrapped | undefined;
    try {
      unwrapped = provider.unwrap(doc, { container });
    } catch {
      // A provider that throws on a document it does not know has not recognised it.
      unwrapped = undefined;
    }
    if (unwrapped) {
      state.last = provider;
      return { provider, unwrapped };
    }
  }
  return undefined;
}

function wrongShape(at: RawPointer, path: string): RecordIssue {
  return {
    type: 'wrong_shape',
    at,
    message: `Cannot read record ${formatPointer(at)} of "${path}": it is not a CloudTrail, Cloud Audit Logs or Activity Log record`,
  };
}

function parseDocument(doc: RawDocument): { value: unknown } | { issue: RecordIssue } {
  if (doc.bytes === undefined) return { value: doc.value };
  try {
    return { value: JSON.parse(doc.bytes.toString('utf8')) };
  } catch (error) {
    return {
      issue: {
        type: 'invalid_json',
        at: doc.at,
        message: `Cannot parse record ${formatPointer(doc.at)} as JSON: ${describe(error)}`,
      },
    };
  }
}

interface BatchOut {
  events: AuditEvent[];
  links: CredentialLink[];
  issues: RecordIssue[];
  records: number;
  shapes: Record<string, number>;
}

function normalizeAll(state: FileState, found: Recognised, doc: RawDocument, out: BatchOut): void {
  const { provider, unwrapped } = found;
  const shape = `${provider.name}/${unwrapped.shape}`;
  if (unwrapped.kind === 'ignored') {
    out.shapes[shape] = (out.shapes[shape] ?? 0) + 1;
    return;
  }
  const records = unwrapped.records;
  state.shape = shape;
  out.shapes[shape] = (out.shapes[shape] ?? 0) + records.length;
  out.records += records.length;
  const several = records.length > 1;
  for (let member = 0; member < records.length; member++) {
    const at: RawPointer = several ? { ...doc.at, member } : doc.at;
    state.tally?.addRecord(provider, records[member]);
    try {
      const normalized = provider.normalize(records[member], at);
      for (const event of normalized.events) {
        if (keepsEvent(state.include, event)) out.events.push(event);
        else if (state.include === 'identity') {
          const link = credentialLinkOf(event);
          if (link) out.links.push(link);
        }
      }
      if (normalized.issue) out.issues.push(normalized.issue);
    } catch (error) {
      // The contract says normalize never throws; if one does, the record is skipped, not the run.
      out.issues.push({
        type: 'wrong_shape',
        at,
        message: `Cannot read record ${formatPointer(at)} of "${state.file.path}": ${describe(error)}`,
      });
    }
  }
}

function scanDocument(state: FileState, doc: RawDocument, out: BatchOut): void {
  const parsed = parseDocument(doc);
  if ('issue' in parsed) {
    out.records += 1;
    state.tally?.addUnknown(state.last ?? state.guess);
    if (state.recognised) out.issues.push(parsed.issue);
    else state.pending.push(parsed.issue);
    return;
  }
  const found = recognise(state, parsed.value, doc.container);
  if (!found) {
    out.records += 1;
    state.tally?.addUnknown(state.last ?? state.guess);
    if (state.recognised) out.issues.push(wrongShape(doc.at, state.file.path));
    else state.pending.push(wrongShape(doc.at, state.file.path));
    return;
  }
  if (!state.recognised) {
    // The file is ours after all: what came before are bad records, not a wrong file.
    state.recognised = true;
    out.issues.push(...state.pending);
    state.pending = [];
  }
  normalizeAll(state, found, doc, out);
}

function unknownFormat(
  file: InputFile,
  pending: readonly RecordIssue[],
  passedOver: number,
): RecordIssue {
  const notJson = pending.filter((issue) => issue.type === 'invalid_json').length;
  const one = pending.length === 1;
  const first = one ? 'its first document' : `its first ${pending.length} documents`;
  const what =
    notJson === pending.length
      ? `${one ? 'is' : 'are'} not JSON`
      : `${one ? 'is not a record' : 'are not records'} of any of them`;
  // Documents the prefilter passed over were never parsed: say so rather than judge them.
  const why =
    passedOver > 0
      ? `${first} ${what}, and the other ${passedOver} hold none of the keywords of a relevant event, so none was parsed`
      : notJson === pending.length
        ? 'it is not JSON'
        : 'no record in it was recognised';
  return {
    type: 'unknown_format',
    at: { path: file.path, index: 0 },
    message: `"${file.path}" is not a CloudTrail, Cloud Audit Logs or Activity Log export: ${why}; check that it is one of these clouds' audit log exports`,
  };
}

/*
 * Documents the prefilter skipped are never parsed, so their shape is taken to be the
 * file's: one export file holds one shape.
 */
function attributeSkipped(state: FileState, skipped: number, out: BatchOut): void {
  state.unattributed += skipped;
  if (state.shape === undefined || state.unattributed === 0) return;
  out.shapes[state.shape] = (out.shapes[state.shape] ?? 0) + state.unattributed;
  state.unattributed = 0;
}

/*
 * A document split out of a wrapper (`Records`, `records`, `entries`, `Events`, `value`)
 * comes from one cloud's own export file, so the rest of the file is searched for that
 * cloud's needles only: fewer needles, fewer false candidates. JSON lines are left alone:
 * a forwarder (Logstash, a SIEM export) may interleave the clouds line by line.
 */
function narrowTo(state: FileState, first: RawDocument): NeedleSet | undefined {
  // Coverage needs the file's provider before the first skipped document is counted.
  if (first.container === undefined && state.tally === undefined) return undefined;
  const parsed = parseDocument(first);
  if ('issue' in parsed) return undefined;
  const found = recognise({ ...state, last: undefined }, parsed.value, first.container);
  if (found) state.guess = found.provider;
  if (first.container === undefined) return undefined;
  if (!found || found.unwrapped.kind !== 'records') return undefined;
  const needles = providerNeedles(found.provider, state.include);
  return needles.length > 0
    ? { needles, anyCase: found.provider.needles.anyCase === true }
    : undefined;
}

/** A skipped document the bytes could not place: which provider's records it holds. */
function recogniseSkipped(
  state: FileState,
  doc: unknown,
  container: string | undefined,
): Recognised | undefined {
  return recognise({ ...state }, doc, container);
}

/**
 * Scans one file: cuts it into documents (skipping, unparsed, those the needles prove
 * irrelevant), parses the candidates, lets the provider that recognises each one normalize
 * its records, and yields events and issues batch by batch so a large file never sits in
 * memory. A bad record is an issue, never a thrown error; a file none of whose documents is
 * a known cloud's is one `unknown_format` issue and the run goes on.
 *
 * @example
 * for await (const batch of scanFile({ path: 'trail.json.gz' }, { include: 'stops' })) {
 *   console.log(batch.events.length, batch.issues.length);
 * }
 */
export async function* scanFile(
  file: InputFile,
  options: ScanFileOptions,
): AsyncGenerator<ScanFileBatch> {
  const providers = options.providers ?? Object.values(registry);
  const read = options.read ?? readDocuments;
  const needles = needlesFor(providers, options.include);
  const state: FileState = {
    file,
    include: options.include,
    providers,
    last: undefined,
    recognised: false,
    pending: [],
    abandoned: false,
    shape: undefined,
    unattributed: 0,
    tally: options.coverage ? new CoverageTally() : undefined,
    guess: undefined,
  };
  const tally = state.tally;
  const frameOptions: FrameOptions = needles
    ? {
        needles: needles.needles,
        anyCase: needles.anyCase,
        narrowNeedles: (first) => narrowTo(state, first),
        ...(tally
          ? {
              onSkipped: (bytes: Buffer, container?: string) =>
                tally.addSkipped(bytes, state.last ?? state.guess, (doc) =>
                  recogniseSkipped(state, doc, container),
                ),
            }
          : {}),
      }
    : {};
  for await (const frame of read(file, frameOptions)) {
    const out: BatchOut = {
      events: [],
      links: [],
      issues: [...frame.issues],
      records: frame.skipped,
      shapes: {},
    };
    for (const doc of frame.documents) {
      scanDocument(state, doc, out);
      if (!state.recognised && state.pending.length >= MAX_PENDING) {
        state.abandoned = true;
        break;
      }
    }
    attributeSkipped(state, frame.skipped, out);
    const coverage = tally?.take(state.last ?? state.guess);
    const { links, ...rest } = out;
    yield {
      ...rest,
      ...(links.length > 0 ? { links } : {}),
      bytesRead: frame.bytesRead,
      bytesDecoded: frame.bytesDecoded,
      ...(coverage ? { coverage } : {}),
    };
    if (state.abandoned) break;
  }
  if (!state.recognised && state.pending.length > 0) {
    yield {
      events: [],
      issues: [unknownFormat(file, state.pending, state.unattributed)],
      records: 0,
      shapes: {},
      bytesRead: 0,
      bytesDecoded: 0,
    };
  }
}
