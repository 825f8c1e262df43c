import type { CoverageKey } from '../coverage-key.ts';
import {
  ABSENT,
  findKeyValue,
  hourOf,
  keyPattern,
  plainValue,
  stringsAt,
  UNKNOWN_KEY,
} from '../coverage-key.ts';
import { readFields } from './fields.ts';
import { detectShape } from './shape.ts';
import { timeOf } from './time.ts';

const KEYS = [
  { pattern: keyPattern('time'), required: true },
  { pattern: keyPattern('operationName'), required: true },
  { pattern: keyPattern('resourceId'), required: true },
  { pattern: keyPattern('subscriptionId'), required: false },
  { pattern: keyPattern('location'), required: false },
];
/** Keys of the other shapes, which `detectShape` tries before the export's. */
const OTHER_SHAPES = [
  'OperationNameValue',
  'ActivityStatusValue',
  'OperationName',
  'Type',
  'operation_name',
].map(keyPattern);

function subscriptionOf(resourceId: string | undefined): string | undefined {
  if (resourceId === undefined) return undefined;
  const parts = resourceId.split('/');
  const index = parts.findIndex((part) => part.toLowerCase() === 'subscriptions');
  const value = index >= 0 ? parts[index + 1] : undefined;
  return value !== undefined && value !== '' ? value : undefined;
}

/** What `text` in `_values.ts` makes of a string: trimmed, and absent when empty. */
function trimmed(value: string | null): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

function keyOf(
  subscription: string | undefined,
  resourceId: string | undefined,
  location: string | undefined,
  time: unknown,
): CoverageKey {
  return {
    account: plainValue((subscription ?? subscriptionOf(resourceId))?.toLowerCase()),
    region: plainValue(location),
    hour: hourOf(time, timeOf),
  };
}

/**
 * The coverage key of one Activity Log export record (`PT1H.json`, `{"records":[…]}`)
 * read from its bytes: `time`, a string `operationName` and `resourceId` once each, the
 * subscription from `subscriptionId` or the resource id, the region from `location`.
 * Other shapes, and anything bytes alone cannot settle, are `undefined`: parse them.
 *
 * @example
 * azureCoverageKey(Buffer.from('{"time":"2024-08-01T12:03:30Z","operationName":"X","resourceId":"/SUBSCRIPTIONS/AB/x","location":"westeurope"}'));
 * // { account: 'ab', region: 'westeurope', hour: 1722513600000 }
 */
export function azureCoverageKey(bytes: Buffer): CoverageKey | undefined {
  const values = stringsAt(bytes, KEYS, 1);
  if (values === undefined) return undefined;
  const [time, , resourceId, subscription, location] = values;
  for (const other of OTHER_SHAPES) if (findKeyValue(bytes, other) !== ABSENT) return undefined;
  return keyOf(trimmed(subscription), trimmed(resourceId), trimmed(location), time);
}

/**
 * The coverage key of one parsed Activity Log record of any shape the provider reads,
 * through the same field table `normalize` uses.
 *
 * @example
 * azureRecordCoverageKey({ eventTimestamp: '2024-08-01T12:03:30Z', operationName: { value: 'X' }, subscriptionId: 'ab' }).account; // 'ab'
 */
export function azureRecordCoverageKey(record: unknown): CoverageKey {
  const shape = detectShape(record);
  if (shape === undefined) return UNKNOWN_KEY;
  const fields = readFields(shape, record);
  return keyOf(fields.subscriptionId, fields.resourceId, fields.region, fields.time);
}
