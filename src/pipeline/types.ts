import type { CredentialLink } from '../context/identity-chain.ts';
import type { AuditEvent, EpochMs, InstanceStop, ProviderId, RecordIssue } from '../model/index.ts';

/** Records seen per scope × region × hour, noise included: the raw material of coverage. */
export interface CoverageCount {
  readonly provider: ProviderId;
  readonly account: string;
  readonly region: string;
  /** Start of the UTC hour. */
  readonly hour: EpochMs;
  readonly records: number;
}

/** What scanning one file yields, in batches so a large file never sits in memory. */
export interface ScanFileBatch {
  readonly events: readonly AuditEvent[];
  readonly issues: readonly RecordIssue[];
  /** Records read in this batch (parsed or skipped by the prefilter). */
  readonly records: number;
  readonly bytesRead: number;
  readonly bytesDecoded: number;
  /** Records (or ignored documents) per recognised shape, `<provider name>/<shape>`, in this batch. */
  readonly shapes?: Readonly<Record<string, number>>;
  /**
   * With `coverage: true`: this batch's records per provider × account × region × hour,
   * skipped and parsed ones alike; the counts sum to `records` once the file is recognised.
   */
  readonly coverage?: readonly CoverageCount[];
  /**
   * With include `identity`: the credentials this batch's role-issuing events handed out,
   * kept instead of the events themselves (they are read to resolve, never printed).
   */
  readonly links?: readonly CredentialLink[];
}

/**
 * What a scan keeps: the stops; the stops and the events that issued credentials
 * (`identity`, for following role sessions back); or every related event (`all`).
 */
export type Include = 'stops' | 'identity' | 'all';

export interface ScanProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly records: number;
  /** Stop events seen so far, before phases are merged and multi-instance calls split. */
  readonly stops: number;
}

export interface ScanStats {
  readonly files: number;
  /** Files holding no record of any known cloud, and files that could not be read. */
  readonly filesFailed: number;
  readonly records: number;
  readonly bytesRead: number;
  readonly bytesDecoded: number;
  readonly events: number;
  readonly stops: number;
  readonly issues: readonly RecordIssue[];
  /** Counts per `IssueType`; `issues` keeps the first few of each kind with locations. */
  readonly issueCounts: Readonly<Record<string, number>>;
  readonly shapes: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

export interface ScanOptions {
  readonly include: Include;
  /** Worker threads; 0 scans in this thread. */
  readonly workers?: number;
  readonly onProgress?: (progress: ScanProgress) => void;
}

export interface ScanResult {
  readonly events: readonly AuditEvent[];
  readonly stops: readonly InstanceStop[];
  readonly stats: ScanStats;
  /** With include `identity`: every credential handed out in the inputs, once per key. */
  readonly links: readonly CredentialLink[];
}
