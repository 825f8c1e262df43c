import type { IssueType, RawPointer } from '../model/index.ts';
import { safeText } from '../model/index.ts';
import type { Normalized } from './provider.ts';

/** A record skipped for one reason, worded for the person who will open the file. */
export function skipped(
  type: IssueType,
  at: RawPointer,
  message: string,
  field?: string,
): Normalized {
  return { events: [], issue: { type, at, message, ...(field !== undefined ? { field } : {}) } };
}

/** Values quoted in messages come from the log and may be hostile: short, and quoted as JSON. */
export function quote(value: unknown): string {
  const text = safeText(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** `a string`, `an array`, `null`: what a value is, for a message. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' || typeof value === 'undefined'
    ? `an ${typeof value}`
    : `a ${typeof value}`;
}
