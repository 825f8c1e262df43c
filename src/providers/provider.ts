import type { AuditEvent, ProviderId, RawPointer, RecordIssue } from '../model/index.ts';
import type { CoverageKey } from './coverage-key.ts';

/** What a provider found inside one parsed JSON document. */
export type Unwrapped =
  /** Audit records of this provider (a bare record is a list of one). */
  | { readonly kind: 'records'; readonly shape: string; readonly records: readonly unknown[] }
  /** Ours, known and deliberately not audit records (a CloudTrail digest file): counted. */
  | { readonly kind: 'ignored'; readonly shape: string; readonly reason: string };

/** The result of normalizing one record: no events means noise (a Describe call). */
export interface Normalized {
  readonly events: readonly AuditEvent[];
  readonly issue?: RecordIssue;
}

/**
 * A cloud's audit log reader. It knows that cloud's formats and nothing about rules.
 *
 * Byte needles let the scanner skip `JSON.parse` for the vast majority of records: a
 * record that contains none of them cannot produce an event of that kind. Needles match
 * raw bytes, so they must also match inside a JSON string holding JSON (`lookup-events`
 * `CloudTrailEvent`, where `"StopInstances"` is written `\"StopInstances\"`): a needle may
 * begin with a quote (the escaped form still has the quote byte) but must not end with one.
 * Needles must also cover wrapped shapes whose payload is encoded (Pub/Sub base64 `data`).
 */
export interface Provider {
  readonly id: ProviderId;
  /** Component name, after the service: `aws-cloudtrail`. */
  readonly name: string;
  readonly needles: {
    /** Present in every record that yields a stop. */
    readonly stops: readonly string[];
    /** Present in every record that yields any event (stops included). */
    readonly all: readonly string[];
    /**
     * Present in every record that yields a stop or issues a credential (AWS AssumeRole and
     * its kin); the stop needles when the cloud's records name their callers themselves.
     */
    readonly identity?: readonly string[];
    /** ASCII letters match in either case: the cloud writes the same name in several cases. */
    readonly anyCase?: boolean;
  };
  /**
   * Recognise a parsed document as this provider's and return the records inside, or
   * `undefined` when it is not this provider's. `container` names the wrapper key the
   * framer already split the document out of (`Records`, `records`, `Events`, `entries`).
   */
  unwrap(doc: unknown, hint: { readonly container?: string }): Unwrapped | undefined;
  /** Map one record to events. Never throws: bad records come back as an issue. */
  normalize(record: unknown, at: RawPointer): Normalized;
  /**
   * Coverage without parsing: scope, region and hour read from the bytes of one record the
   * prefilter skipped (a view: searches stay inside it). `undefined` when the bytes alone
   * cannot settle it; the record is then parsed and `recordCoverageKey` decides. Whenever
   * it answers, it must agree with `recordCoverageKey` of the parsed record.
   */
  coverageKey?(bytes: Buffer): CoverageKey | undefined;
  /** Coverage of one record `unwrap` returned; parts it cannot read are `unknown`. */
  recordCoverageKey?(record: unknown): CoverageKey;
}
