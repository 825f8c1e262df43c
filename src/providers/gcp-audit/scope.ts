import type { Scope } from '../../model/index.ts';
import type { AuditLogEntry } from './raw-schema.ts';
import { projectOfLogName, regionOfZone, type ResourcePath } from './resource-name.ts';

/** A non-empty string label of the monitored resource (`project_id`, `zone`, `instance_id`). */
export function label(entry: AuditLogEntry, key: string): string | undefined {
  const value = entry.resource?.labels?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Where an entry's action happened: the project (resource label, else the log name, else
 * the resource name), the zone and the region the zone lies in.
 *
 * @example
 * scopeOf(entry, parseResourceName(entry.protoPayload.resourceName ?? '')).region; // 'us-central1'
 */
export function scopeOf(entry: AuditLogEntry, path: ResourcePath): Scope {
  const location = label(entry, 'location');
  const account = label(entry, 'project_id') ?? projectOfLogName(entry.logName) ?? path.project;
  const zone = label(entry, 'zone') ?? path.zone ?? (regionOfZone(location) ? location : undefined);
  const region =
    label(entry, 'region') ?? path.region ?? regionOfZone(zone) ?? (zone ? undefined : location);
  return {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    ...(zone ? { zone } : {}),
  };
}
