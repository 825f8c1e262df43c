import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Actor, AuditEvent, EpochMs } from '../model/index.ts';
import { openStore } from './open-store.ts';
import { makeEvent } from './testing/make-event.ts';
import { startPostgres } from './testing/postgres-server.ts';

export interface BenchStoreOptions {
  /** `postgres://…` or a SQLite file; default a SQLite file in a temporary directory. */
  readonly url?: string;
  /** Events to store (default 1,000,000). */
  readonly events?: number;
  readonly batchSize?: number;
  /** Distinct instances the events spread over (default events / 50). */
  readonly instances?: number;
  /** Timeline and who-stopped queries to time (default 50 each). */
  readonly queries?: number;
  readonly log?: (line: string) => void;
}

export interface BenchStoreResult {
  readonly store: 'sqlite' | 'postgres';
  readonly events: number;
  readonly batchSize: number;
  readonly ingestSeconds: number;
  readonly eventsPerSecond: number;
  /** Events per second of this process's CPU time: steadier than wall time on a shared machine. */
  readonly eventsPerCpuSecond: number;
  /** Median and 95th percentile, milliseconds. */
  readonly timelineMs: { readonly median: number; readonly p95: number; readonly entries: number };
  readonly whoStoppedMs: { readonly median: number; readonly p95: number };
  /** An identity's timeline (its role sessions included) within ±1 h of a time. */
  readonly actorTimelineMs: {
    readonly median: number;
    readonly p95: number;
    readonly entries: number;
  };
}

const T0 = Date.parse('2024-01-01T00:00:00Z');

/** CloudTrail event ids are random UUIDs: keys land all over the index, as in real logs. */
function uuid(i: number): string {
  const h = createHash('md5').update(String(i)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/*
 * A synthetic but CloudTrail-shaped mix: per 100 events, 5 stops, 10 role assumptions
 * (stored as credential links), the rest starts, modifications and terminations spread
 * over many instances, so an instance has ~50 events as in a busy fleet.
 */
function eventAt(i: number, instances: number): AuditEvent {
  const instance = `i-${(i * 7919) % instances}`.padEnd(19, '0');
  const time = T0 + i * 1000;
  const kind = i % 100;
  const session = `ASIA${String(i - (i % 20)).padStart(16, '0')}`;
  const actor: Actor = {
    type: 'assumed_role',
    id: `arn:aws:sts::123456789012:assumed-role/Ops/user${i % 300}`,
    name: `Ops/user${i % 300}`,
    chain: [],
    session: {
      name: `user${i % 300}`,
      issuer: 'arn:aws:iam::123456789012:role/Ops',
      accessKeyId: session,
    },
  };
  if (kind < 10) {
    return makeEvent({
      id: `aws:${uuid(i)}`,
      action: 'identity.assume',
      operation: 'AssumeRole',
      time,
      actor: {
        type: 'user',
        id: `arn:aws:iam::123456789012:user/user${i % 300}`,
        name: `user${i % 300}`,
        chain: [],
      },
      issued: {
        accessKeyId: `ASIA${String(i).padStart(16, '0')}`,
        sessionArn: actor.id,
        expiresAt: (time + 3_600_000) as EpochMs,
      },
      path: `AWSLogs/123456789012/CloudTrail/eu-west-1/f${Math.floor(i / 1000)}.json.gz`,
      index: i % 1000,
    });
  }
  const action =
    kind < 15
      ? 'instance.stop'
      : kind < 60
        ? 'instance.start'
        : kind < 95
          ? 'instance.modify'
          : 'instance.terminate';
  return makeEvent({
    id: `aws:${uuid(i)}`,
    action,
    operation: action === 'instance.stop' ? 'StopInstances' : 'ModifyInstanceAttribute',
    time,
    actor,
    instances: [instance],
    correlationId: `req-${i}`,
    path: `AWSLogs/123456789012/CloudTrail/eu-west-1/f${Math.floor(i / 1000)}.json.gz`,
    index: i % 1000,
  });
}

function percentiles(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number): number =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 100) / 100;
  return { median: pick(0.5), p95: pick(0.95) };
}

/**
 * Measures `putBatch` throughput and query latency: stores `events` events in batches, then
 * times `timeline` and `whoStopped` for random instances. Figures for the README.
 *
 * @example
 * const result = await benchStore({ events: 100_000 });
 * console.log(result.eventsPerSecond, result.timelineMs.median);
 */
export async function benchStore(options: BenchStoreOptions = {}): Promise<BenchStoreResult> {
  const total = options.events ?? 1_000_000;
  const batchSize = options.batchSize ?? 10_000;
  const instances = options.instances ?? Math.max(1, Math.floor(total / 50));
  const queries = options.queries ?? 50;
  const log = options.log ?? (() => undefined);
  const dir = options.url ? undefined : mkdtempSync(join(tmpdir(), 'haltwatch-bench-'));
  const store = await openStore(options.url ?? join(dir!, 'bench.db'));
  try {
    await store.beginFile({ hash: 'bench', path: 'bench', size: 0 });
    let busy = 0;
    let cpu = 0;
    for (let start = 0; start < total; start += batchSize) {
      // Building events is the scanner's cost, not the store's: keep it out of the timing.
      const events = Array.from({ length: Math.min(batchSize, total - start) }, (_, k) =>
        eventAt(start + k, instances),
      );
      const began = performance.now();
      const cpuBegan = process.cpuUsage();
      await store.putBatch('bench', { events, records: events.length });
      const used = process.cpuUsage(cpuBegan);
      cpu += (used.user + used.system) / 1000;
      busy += performance.now() - began;
      if ((start / batchSize) % 50 === 0)
        log(
          `stored ${start + events.length} events, ${Math.round((start + events.length) / (busy / 1000))} events/s`,
        );
    }
    await store.completeFile('bench');
    const timeline: number[] = [];
    const who: number[] = [];
    let entries = 0;
    for (let q = 0; q < queries; q++) {
      const instance = `i-${(q * 104729) % instances}`.padEnd(19, '0');
      let began = performance.now();
      entries += (await store.timeline({ instance })).entries.length;
      timeline.push(performance.now() - began);
      began = performance.now();
      await store.whoStopped(instance);
      who.push(performance.now() - began);
    }
    // Identity timelines are asked around a moment ("what else did they do then?").
    const actorTimeline: number[] = [];
    let actorEntries = 0;
    const span = total * 1000;
    for (let q = 0; q < Math.min(queries, 20); q++) {
      const began = performance.now();
      const around = (T0 + ((q * 7919 * 1000) % span)) as EpochMs;
      const found = await store.timeline({ actor: `user${q % 300}`, around, window: 3_600_000 });
      actorEntries += found.entries.length;
      actorTimeline.push(performance.now() - began);
    }
    return {
      store: store.kind,
      events: total,
      batchSize,
      ingestSeconds: Math.round(busy) / 1000,
      eventsPerSecond: Math.round(total / (busy / 1000)),
      eventsPerCpuSecond: Math.round(total / (cpu / 1000)),
      timelineMs: { ...percentiles(timeline), entries: Math.round(entries / queries) },
      whoStoppedMs: percentiles(who),
      actorTimelineMs: {
        ...percentiles(actorTimeline),
        entries: Math.round(actorEntries / Math.min(queries, 20)),
      },
    };
  } finally {
    await store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Both engines: SQLite in a temporary file and PostgreSQL on a throwaway server started
 * for the run (Debian's `postgresql`, as the tests use), each with the same workload.
 *
 * @example
 * const [sqlite, postgres] = await benchStores({ events: 200_000 });
 */
export async function benchStores(
  options: Omit<BenchStoreOptions, 'url'> = {},
): Promise<BenchStoreResult[]> {
  const results = [await benchStore(options)];
  const server = await startPostgres();
  try {
    results.push(await benchStore({ ...options, url: server.url }));
  } finally {
    await server.stop();
  }
  return results;
}
