import type { Scope, Target } from '../../model/index.ts';
import type { MethodMeaning } from './method-names.ts';
import type { AuditLogEntry } from './raw-schema.ts';
import { instancePath, parseResourceName, type ResourcePath } from './resource-name.ts';
import { label } from './scope.ts';

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The instances a group manager request names (`zones/z/instances/n` or full URLs). */
function groupTargets(entry: AuditLogEntry, scope: Scope): Target[] {
  const listed = entry.protoPayload.request?.instances;
  if (!Array.isArray(listed)) return [];
  const targets: Target[] = [];
  for (const item of listed) {
    if (typeof item !== 'string' || item === '') continue;
    const path = parseResourceName(item);
    const zone = path.zone ?? scope.zone;
    const uid = instancePath({ ...path, zone }, scope.account) ?? item;
    targets.push({
      type: 'instance',
      uid,
      ...(path.instance ? { name: path.instance } : {}),
      ...(zone ? { zone } : {}),
    });
  }
  return targets;
}

/**
 * What an entry acted on: the instance (by its numeric id when the resource labels give
 * it, else its resource name), each instance a group manager was asked to act on, the
 * impersonated service account, or the sink, bucket or project of a logging change.
 *
 * @example
 * targetsOf(meaning, entry, path, scope)[0]?.uid; // '2162224123123123213'
 */
export function targetsOf(
  meaning: MethodMeaning,
  entry: AuditLogEntry,
  path: ResourcePath,
  scope: Scope,
): Target[] {
  const resourceName = entry.protoPayload.resourceName || undefined;
  switch (meaning.target) {
    case 'instance': {
      const uid = label(entry, 'instance_id') ?? resourceName;
      if (!uid) return [];
      return [
        {
          type: 'instance',
          uid,
          ...(path.instance ? { name: path.instance } : {}),
          ...(scope.zone ? { zone: scope.zone } : {}),
        },
      ];
    }
    case 'group_instances': {
      const listed = groupTargets(entry, scope);
      // No instance list logged: the group itself is the target, so the call is not lost.
      return listed.length > 0 || !resourceName
        ? listed
        : [{ type: 'other', uid: resourceName, name: lastSegment(resourceName) }];
    }
    case 'role': {
      const requested = entry.protoPayload.request?.name;
      const named = typeof requested === 'string' && requested !== '' ? requested : undefined;
      const uid = resourceName ?? named;
      if (!uid) return [];
      return [{ type: 'role', uid, name: lastSegment(named ?? uid) }];
    }
    case 'log_sink':
    case 'trail':
    case 'other': {
      const uid = resourceName ?? scope.account;
      return uid ? [{ type: meaning.target, uid, name: lastSegment(uid) }] : [];
    }
    default: {
      const unreachable: never = meaning.target;
      return unreachable;
    }
  }
}
