import type { Random } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The days of one UTC month the generator fills. */
export interface Month {
  /** `YYYY-MM`. */
  readonly label: string;
  readonly start: number;
  readonly days: number;
}

/** Parses `YYYY-MM`; `undefined` when it is not a real month. */
export function parseMonth(label: string): Month | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  const start = Date.UTC(year, month, 1);
  const days = Math.round((Date.UTC(year, month + 1, 1) - start) / DAY);
  return { label, start, days };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(ms: number): number {
  return new Date(ms).getUTCDay();
}

export function isWeekend(ms: number): boolean {
  const day = weekday(ms);
  return day === 0 || day === 6;
}

/** `2025-11-03T19:00:04Z`: CloudTrail's second precision. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2025-11-03T19:00:04.123456Z`: GCP's microsecond precision (the extra digits drawn). */
export function isoMicros(ms: number, random: Random): string {
  return new Date(ms).toISOString().replace('Z', `${random.digits(1)}${random.int(10, 99)}Z`);
}

/** `2025-11-03T19:00:04.1234567Z`: Azure's tick precision (the extra digits drawn). */
export function isoTicks(ms: number, random: Random): string {
  return new Date(ms).toISOString().replace('Z', `${random.int(1000, 9999)}Z`);
}

/** `20251103T1905Z`, the time stamp in a CloudTrail object key. */
export function compactMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}

/** `YYYY/MM/DD`, the date folders of S3 and GCS trees. */
export function datePath(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
