import type { ProviderId } from '../model/index.ts';
import { UNKNOWN_KEY } from '../providers/index.ts';
import type { CoverageKey, Provider, Unwrapped } from '../providers/index.ts';
import type { CoverageCount } from './types.ts';

interface Found {
  readonly provider: Provider;
  readonly unwrapped: Unwrapped;
}

/**
 * Coverage counts of one file's batch: every record, skipped or parsed, lands under its
 * provider × account × region × hour. A record no provider can be named for yet (a bad
 * first line) waits until the file's provider is known, then counts as `unknown`.
 *
 * @example
 * const tally = new CoverageTally();
 * tally.addRecord(awsCloudTrail, record);
 * tally.take(awsCloudTrail); // [{ provider: 'aws', account: '…', region: '…', hour, records: 1 }]
 */
export class CoverageTally {
  #counts = new Map<string, { -readonly [K in keyof CoverageCount]: CoverageCount[K] }>();
  #unattributed = 0;

  #add(provider: ProviderId, key: CoverageKey, records = 1): void {
    const id = `${provider}\u0000${key.account}\u0000${key.region}\u0000${key.hour}`;
    const row = this.#counts.get(id);
    if (row) row.records += records;
    else this.#counts.set(id, { provider, ...key, records });
  }

  /** One record a provider unwrapped (noise included). */
  addRecord(provider: Provider, record: unknown): void {
    this.#add(provider.id, provider.recordCoverageKey?.(record) ?? UNKNOWN_KEY);
  }

  /** One document that is no readable record (not JSON, not recognised). */
  addUnknown(provider: Provider | undefined): void {
    if (provider) this.#add(provider.id, UNKNOWN_KEY);
    else this.#unattributed++;
  }

  /**
   * One document the prefilter skipped, as bytes valid during this call: the provider reads
   * its key from them, else it is parsed and `recognise` says whose record it is.
   */
  addSkipped(
    bytes: Buffer,
    provider: Provider | undefined,
    recognise: (doc: unknown) => Found | undefined,
  ): void {
    const key = provider?.coverageKey?.(bytes);
    if (key) {
      this.#add(provider!.id, key);
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.addUnknown(provider);
      return;
    }
    const found = recognise(doc);
    const first = found?.unwrapped.kind === 'records' ? found.unwrapped.records[0] : undefined;
    // One skipped document is one record in the scan's counts, whatever it wraps.
    if (found && first !== undefined) this.addRecord(found.provider, first);
    else this.addUnknown(found?.provider ?? provider);
  }

  /** The counts so far, emptied; waiting records go to `provider` once it is known. */
  take(provider: Provider | undefined): CoverageCount[] | undefined {
    if (provider && this.#unattributed > 0) {
      this.#add(provider.id, UNKNOWN_KEY, this.#unattributed);
      this.#unattributed = 0;
    }
    if (this.#counts.size === 0) return undefined;
    const counts = [...this.#counts.values()];
    this.#counts = new Map();
    return counts;
  }
}

/** Sum of records across counts: what a file's coverage must add up to. */
export function coverageTotal(counts: readonly CoverageCount[]): number {
  return counts.reduce((sum, count) => sum + count.records, 0);
}
