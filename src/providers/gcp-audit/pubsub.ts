import type { IssueType } from '../../model/index.ts';
import { quote } from '../_issue.ts';

type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Pub/Sub message shapes a log sink's topic reaches haltwatch in. */
export type PubSubShape = 'pubsub-push' | 'pubsub-pull' | 'pubsub-message';

/**
 * Which Pub/Sub wrapper `doc` is: a push subscription's POST body
 * `{"message":{…},"subscription":…}`, one received message of a pull
 * `{"ackId":…,"message":{…}}`, or a bare `PubsubMessage` `{"data":…,"messageId":…}`.
 */
export function pubSubShapeOf(doc: unknown): PubSubShape | undefined {
  if (!isObject(doc)) return undefined;
  if (isObject(doc.message) && 'subscription' in doc) return 'pubsub-push';
  if (isObject(doc.message) && typeof doc.ackId === 'string') return 'pubsub-pull';
  if ('data' in doc && ('messageId' in doc || 'publishTime' in doc)) return 'pubsub-message';
  return undefined;
}

/** What opening an envelope gave: the LogEntry inside, or why there is none. */
export type OpenedMessage =
  | { readonly ok: true; readonly entry: unknown; readonly meta: JsonObject }
  | {
      readonly ok: false;
      readonly type: IssueType;
      readonly field: string;
      readonly message: string;
    };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the LogEntry a Log Router sink published: base64 JSON in `message.data`.
 * Never throws; bad base64, bad UTF-8 and bad JSON come back naming the field.
 *
 * @example
 * openMessage({ message: { data: 'e30=', messageId: '1' }, subscription: 's' }); // ok, entry {}
 */
export function openMessage(doc: JsonObject, shape: PubSubShape): OpenedMessage {
  const message = shape === 'pubsub-message' ? doc : (doc.message as JsonObject);
  const field = shape === 'pubsub-message' ? 'data' : 'message.data';
  const data = message.data;
  const meta = {
    ...(typeof doc.subscription === 'string' ? { subscription: doc.subscription } : {}),
    ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
    ...(message.publishTime !== undefined ? { publishTime: message.publishTime } : {}),
    ...(message.attributes !== undefined ? { attributes: message.attributes } : {}),
  };
  if (data === undefined || data === null || data === '') {
    return {
      ok: false,
      type: 'missing_field',
      field,
      message: `field "${field}" is empty: the message carries no LogEntry`,
    };
  }
  if (typeof data !== 'string') {
    return {
      ok: false,
      type: 'invalid_field',
      field,
      message: `field "${field}" is a ${typeof data}, not base64 text`,
    };
  }
  const compact = data.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return {
      ok: false,
      type: 'invalid_field',
      field,
      message: `field "${field}" is not valid base64`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(compact, 'base64'));
  } catch {
    return {
      ok: false,
      type: 'invalid_field',
      field,
      message: `field "${field}" does not decode to UTF-8 text`,
    };
  }
  try {
    return { ok: true, entry: JSON.parse(text) as unknown, meta };
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${quote(error.message)}` : '';
    return {
      ok: false,
      type: 'invalid_json',
      field,
      message: `field "${field}" decodes to text that is not JSON${reason}`,
    };
  }
}
