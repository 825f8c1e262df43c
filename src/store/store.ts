import type { CoverageCount } from '../pipeline/types.ts';
import type {
  AuditEvent,
  EpochMs,
  InstanceStop,
  OutcomeStatus,
  ProviderId,
  RawPointer,
} from '../model/index.ts';
import type { IdentityLookup, ResolvedActor } from '../context/identity-chain.ts';
import type { DirectoryEntry } from '../context/directory-file.ts';

/** A file about to be ingested, known by the hash of its bytes. */
export interface FileInfo {
  readonly hash: string;
  readonly path: string;
  readonly size: number;
}

/** What one batch of one file holds. `records` counts every record read, noise included. */
export interface Batch {
  readonly events: readonly AuditEvent[];
  readonly coverage?: readonly CoverageCount[];
  readonly records?: number;
}

export interface PutBatchResult {
  /** Events stored for the first time (role-issuing ones are kept as credentials instead). */
  readonly eventsNew: number;
  /** Events the store already had, from this run or an earlier one. */
  readonly duplicates: number;
  readonly credentialsNew: number;
  /** Stops created or re-merged by this batch. */
  readonly stopsTouched: number;
}

export interface StopFilter {
  readonly since?: EpochMs;
  readonly until?: EpochMs;
  readonly provider?: ProviderId;
  readonly account?: string;
  /** Instance id or name. */
  readonly instance?: string;
  /** Any name or id of the identity, or of the person behind its sessions. */
  readonly actor?: string;
  readonly outcome?: OutcomeStatus;
  readonly limit?: number;
}

/** One stop with the identity that really acted. */
export interface StopAnswer {
  readonly stop: InstanceStop;
  readonly resolved: ResolvedActor;
}

export type TimelineSubject =
  | { readonly instance: string; readonly actor?: undefined }
  | { readonly actor: string; readonly instance?: undefined };

export type TimelineQuery = TimelineSubject & {
  readonly around?: EpochMs;
  /** Entries within this many ms either side of `around` (default one hour). */
  readonly window?: number;
  readonly limit?: number;
};

/** A credential an identity was handed, kept compactly instead of the whole record. */
export interface CredentialEntry {
  readonly accessKeyId: string;
  readonly eventId: string;
  readonly operation: string;
  readonly time: EpochMs;
  readonly sessionArn?: string;
  readonly raw: RawPointer;
}

export type TimelineEntry =
  | { readonly kind: 'event'; readonly time: EpochMs; readonly event: AuditEvent }
  | { readonly kind: 'credential'; readonly time: EpochMs; readonly credential: CredentialEntry };

export interface Timeline {
  readonly entries: readonly TimelineEntry[];
  /** For an identity: every id and temporary key found to belong to it. */
  readonly identity?: { readonly ids: readonly string[]; readonly accessKeys: readonly string[] };
}

export type FileStart = 'started' | 'done';

/** Which coverage to report; `since`/`until` keep every hour that overlaps them. */
export interface CoverageFilter {
  readonly since?: EpochMs;
  readonly until?: EpochMs;
  readonly provider?: ProviderId;
  readonly account?: string;
}

/** A run of whole UTC hours, `[start, end)`. */
export interface CoverageHours {
  readonly start: EpochMs;
  readonly end: EpochMs;
}

/** How well the logs cover one provider × account × region. */
export interface CoverageScope {
  readonly provider: ProviderId;
  readonly account: string;
  readonly region: string;
  /** Start of the first and of the last hour with records; absent when no record had a time. */
  readonly first?: EpochMs;
  readonly last?: EpochMs;
  /** Records with a readable time. */
  readonly records: number;
  readonly hoursCovered: number;
  /** Runs of hours without a record between `first` and `last`, longest first. */
  readonly gaps: readonly CoverageHours[];
  /** Records whose time could not be read: counted here, never as hours at 1970. */
  readonly unknownTimeRecords: number;
}

/**
 * The evidence store. Every write is idempotent and each batch is one transaction, so a
 * run killed at any point and started again ends with the same rows as one clean run.
 *
 * @example
 * const store = await openStore('./haltwatch.db');
 * if ((await store.beginFile(file)) === 'started') {
 *   await store.putBatch(file.hash, { events });
 *   await store.completeFile(file.hash);
 * }
 * await store.close();
 */
export interface Store extends IdentityLookup {
  readonly kind: 'sqlite' | 'postgres';
  /** Marks a file in progress and clears what an interrupted run left of it; `done` when it was ingested before. */
  beginFile(file: FileInfo): Promise<FileStart>;
  putBatch(fileHash: string, batch: Batch): Promise<PutBatchResult>;
  completeFile(fileHash: string): Promise<void>;
  isFileDone(fileHash: string): Promise<boolean>;
  /** Names for principals (object id / app id → display name) from a directory export. */
  putDirectory(entries: readonly DirectoryEntry[]): Promise<number>;
  queryStops(filter: StopFilter): Promise<readonly StopAnswer[]>;
  /** The last stop of an instance (id or name), or all of them oldest first. */
  whoStopped(
    instance: string,
    options?: { readonly all?: boolean },
  ): Promise<readonly StopAnswer[]>;
  timeline(query: TimelineQuery): Promise<Timeline>;
  counts(): Promise<StoreCounts>;
  /** Records, hours and gaps per provider × account × region, ordered by those three. */
  coverageReport(filter: CoverageFilter): Promise<readonly CoverageScope[]>;
  close(): Promise<void>;
}

export interface StoreCounts {
  readonly files: number;
  readonly events: number;
  readonly stops: number;
  readonly credentials: number;
  readonly coverageRecords: number;
}
