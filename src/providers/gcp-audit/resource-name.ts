/** The parts of a Google resource name haltwatch uses. */
export interface ResourcePath {
  readonly project?: string;
  readonly zone?: string;
  readonly region?: string;
  readonly instance?: string;
}

const KEYS: Readonly<Record<string, keyof ResourcePath>> = {
  projects: 'project',
  zones: 'zone',
  regions: 'region',
  instances: 'instance',
};

/**
 * Reads `projects/P/zones/Z/instances/N`, its full URL form
 * (`https://compute.googleapis.com/compute/v1/projects/P/…`) and the relative form a group
 * manager request uses (`zones/Z/instances/N`).
 *
 * @example
 * parseResourceName('projects/p1/zones/us-central1-a/instances/web-1').instance; // 'web-1'
 */
export function parseResourceName(name: string): ResourcePath {
  const parts = name.replace(/^[a-z]+:\/\/[^/]+\//i, '').split('/');
  const found: Partial<Record<keyof ResourcePath, string>> = {};
  for (let i = 0; i + 1 < parts.length; i += 1) {
    const key = Object.hasOwn(KEYS, parts[i]!) ? KEYS[parts[i]!] : undefined;
    const value = parts[i + 1];
    if (key && value && found[key] === undefined) {
      found[key] = safeDecode(value);
      i += 1;
    }
  }
  return found;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The region a zone belongs to: `us-central1-a` → `us-central1`.
 *
 * @example
 * regionOfZone('europe-west4-b'); // 'europe-west4'
 */
export function regionOfZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  return /^([a-z]+-[a-z]+\d+)-[a-z0-9]+$/.exec(zone)?.[1];
}

/** `projects/P/logs/cloudaudit.googleapis.com%2Factivity` → `P`. */
export function projectOfLogName(logName: string | undefined): string | undefined {
  if (!logName) return undefined;
  return /^projects\/([^/]+)\/logs\//.exec(logName)?.[1];
}

/** The canonical `projects/P/zones/Z/instances/N` of an instance named in any form. */
export function instancePath(path: ResourcePath, fallbackProject?: string): string | undefined {
  const project = path.project ?? fallbackProject;
  if (!path.instance || !path.zone || !project) return undefined;
  return `projects/${project}/zones/${path.zone}/instances/${path.instance}`;
}
