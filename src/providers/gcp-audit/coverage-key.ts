import type { CoverageKey } from '../coverage-key.ts';
import {
  depthsAt,
  findKeyValue,
  hourOf,
  keyPattern,
  plainValue,
  stringsAt,
  UNKNOWN,
  UNKNOWN_KEY,
  valueEnd,
} from '../coverage-key.ts';
import { projectOfLogName, regionOfZone } from './resource-name.ts';

const TIMESTAMP = [{ pattern: keyPattern('timestamp'), required: true }];
const RESOURCE = keyPattern('resource');
/** Members of `resource.labels`: depth 2 inside the `resource` object. */
const LABELS = [
  { pattern: keyPattern('project_id'), required: true },
  { pattern: keyPattern('zone'), required: false },
  { pattern: keyPattern('region'), required: false },
  { pattern: keyPattern('location'), required: false },
];

/** The region of a LogEntry's resource labels: `region`, the zone's region, else `location`. */
function regionOf(zone: unknown, region: unknown, location: unknown): string {
  if (typeof region === 'string' && region !== '') return plainValue(region);
  if (typeof zone === 'string' && zone !== '') return plainValue(regionOfZone(zone) ?? zone);
  if (typeof location === 'string' && location !== '')
    return plainValue(regionOfZone(location) ?? location);
  return UNKNOWN;
}

/**
 * The coverage key of one LogEntry read from its bytes: the entry's `timestamp` and its
 * `resource.labels.project_id` as plain strings, `zone`, `region`, `location` labels when
 * there. Otherwise (a Pub/Sub envelope, a repeated key) `undefined`: parse it.
 *
 * @example
 * gcpCoverageKey(Buffer.from('{"timestamp":"2024-08-01T12:03:30Z","resource":{"labels":{"project_id":"p","zone":"us-central1-a"}}}'));
 * // { account: 'p', region: 'us-central1', hour: 1722513600000 }
 */
export function gcpCoverageKey(bytes: Buffer): CoverageKey | undefined {
  const top = stringsAt(bytes, TIMESTAMP, 1);
  if (top === undefined) return undefined;
  const at = findKeyValue(bytes, RESOURCE);
  if (at < 0 || bytes[at] !== 0x7b) return undefined;
  if (depthsAt(bytes, [bytes.lastIndexOf(RESOURCE, at)])?.[0] !== 1) return undefined;
  const end = valueEnd(bytes, at);
  if (end === -1) return undefined;
  // Searches stay inside the resource object, where the only nesting is `labels`.
  const labels = stringsAt(bytes.subarray(at, end), LABELS, 2);
  if (labels === undefined) return undefined;
  const [project, zone, region, location] = labels;
  // An empty label sends the parsed path to `logName`: leave that to it.
  if (!project) return undefined;
  return {
    account: plainValue(project),
    region: regionOf(zone, region, location),
    hour: hourOf(top[0]),
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The coverage key of one parsed LogEntry: the resource's `project_id` label (else the
 * project of `logName`), its region, and the hour of `timestamp`.
 *
 * @example
 * gcpRecordCoverageKey({ timestamp: '2024-08-01T12:03:30Z', logName: 'projects/p/logs/x' }).account; // 'p'
 */
export function gcpRecordCoverageKey(record: unknown): CoverageKey {
  if (typeof record !== 'object' || record === null) return UNKNOWN_KEY;
  const labels = field(field(record, 'resource'), 'labels');
  const project = field(labels, 'project_id');
  const logName = field(record, 'logName');
  const account =
    typeof project === 'string' && project !== ''
      ? project
      : projectOfLogName(typeof logName === 'string' ? logName : undefined);
  return {
    account: plainValue(account),
    region: regionOf(field(labels, 'zone'), field(labels, 'region'), field(labels, 'location')),
    hour: hourOf(field(record, 'timestamp')),
  };
}
