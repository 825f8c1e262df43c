import type { Unwrapped } from '../provider.ts';
import { isObject, pubSubShapeOf } from './pubsub.ts';

/** A `LogEntry` of any payload kind: audit (`protoPayload`), structured or text. */
export function looksLikeLogEntry(value: unknown): boolean {
  if (!isObject(value)) return false;
  const payload = 'protoPayload' in value || 'jsonPayload' in value || 'textPayload' in value;
  return (
    (payload && ('insertId' in value || 'timestamp' in value)) || typeof value.logName === 'string'
  );
}

function records(shape: string, list: readonly unknown[]): Unwrapped {
  return { kind: 'records', shape, records: list };
}

/**
 * Recognises the shapes Google Cloud audit logs are exported in and returns the records
 * inside. Shapes: `gcp-logentry` (GCS sink JSON lines, a pretty-printed entry),
 * `gcp-logentry-array` (`gcloud logging read --format=json`), `gcp-entries-page`
 * (`entries.list` responses, or one entry the framer split out of `entries`),
 * `pubsub-push`, `pubsub-pull`, `pubsub-message` (the envelope is the record:
 * `normalize` decodes `message.data` so that bad base64 is reported on the record).
 *
 * A page whose `entries` is not an array is returned as its own record so that
 * `normalize` reports it; an empty page (`{}` is what `entries.list` answers when
 * nothing matched) is ignored, not an error.
 *
 * @example
 * unwrap({ entries: [entry], nextPageToken: 't' }, {}); // records [entry], gcp-entries-page
 */
export function unwrap(doc: unknown, hint: { readonly container?: string }): Unwrapped | undefined {
  if (Array.isArray(doc)) {
    const sample = doc.slice(0, 8);
    if (sample.some(looksLikeLogEntry)) return records('gcp-logentry-array', doc);
    if (sample.some((item) => pubSubShapeOf(item) !== undefined))
      return records('pubsub-pull', doc);
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  // Only `entries.list` pages wrap records in `entries`: what the framer split out of one is
  // ours even when it is no LogEntry, so that normalize reports it in Google's terms.
  if (hint.container === 'entries') return records('gcp-entries-page', [doc]);
  if (looksLikeLogEntry(doc)) return records('gcp-logentry', [doc]);
  const pubsub = pubSubShapeOf(doc);
  if (pubsub) return records(pubsub, [doc]);
  if (Array.isArray(doc.receivedMessages)) return records('pubsub-pull', doc.receivedMessages);
  if ('entries' in doc) {
    return Array.isArray(doc.entries)
      ? records('gcp-entries-page', doc.entries)
      : records('gcp-entries-page', [doc]);
  }
  const keys = Object.keys(doc);
  if (keys.length === 0 || (keys.length === 1 && typeof doc.nextPageToken === 'string')) {
    return {
      kind: 'ignored',
      shape: 'gcp-entries-page',
      reason: 'entries.list page without entries',
    };
  }
  return undefined;
}
