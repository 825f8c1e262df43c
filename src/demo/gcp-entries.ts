import { isoMicros } from './_calendar.ts';
import type { DemoStop } from './demo-manifest.ts';
import type { Random } from './random.ts';

export type GcpLog = 'activity' | 'data_access' | 'system_event';

/** A caller as Cloud Audit Logs record it. */
export interface GcpCaller {
  readonly email: string;
  readonly ip?: string;
  readonly userAgent?: string;
  /** Principals that impersonated `email`, as `serviceAccountDelegationInfo` lists them. */
  readonly delegatedBy?: readonly string[];
  readonly actor: DemoStop['actor'];
}

export interface GcpInstance {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly zone: string;
}

export interface GcpCall {
  readonly time: number;
  readonly log: GcpLog;
  readonly caller: GcpCaller;
  readonly methodName: string;
  readonly permission: string;
  readonly instance: GcpInstance;
  /** Set for the long-running operations: which record of the operation this is. */
  readonly operation?: {
    readonly id: string;
    readonly phase: 'first' | 'last' | 'both';
    readonly producer?: string;
  };
  readonly denied?: boolean;
  readonly resourceName?: string;
  readonly severity?: string;
}

function resourceName(instance: GcpInstance): string {
  return `projects/${instance.project}/zones/${instance.zone}/instances/${instance.name}`;
}

function authenticationInfo(caller: GcpCaller): Record<string, unknown> {
  if (!caller.delegatedBy) return { principalEmail: caller.email };
  return {
    principalEmail: caller.email,
    serviceAccountDelegationInfo: caller.delegatedBy.map((email) => ({
      firstPartyPrincipal: { principalEmail: email },
    })),
    principalSubject: `serviceAccount:${caller.email}`,
  };
}

/**
 * Shaped after the real Compute Engine entries in the shared corpus (iap-desktop, plaso):
 * same keys, same nesting, `first`/`last` operation records, delegation info as Cloud
 * Audit Logs writes it; the `response` operation follows Google's documented `Operation`.
 *
 * One `LogEntry` with an `AuditLog` payload, keys in the order a GCS sink writes them.
 * An operation's `first` record carries the request and the caller's address; its `last`
 * record is terse, as Compute Engine writes it.
 */
export function gcpEntry(random: Random, call: GcpCall): Record<string, unknown> {
  const { instance, caller, operation } = call;
  const name = call.resourceName ?? resourceName(instance);
  const method = call.methodName.split('.').pop()!;
  const isFirst = !operation || operation.phase !== 'last';
  const timestamp = isoMicros(call.time, random);
  const payload: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    ...(call.denied
      ? { status: { code: 7, message: `Required '${call.permission}' permission for '${name}'` } }
      : call.log === 'system_event'
        ? { status: { message: 'Instance was preempted.' } }
        : {}),
    authenticationInfo: authenticationInfo(caller),
    requestMetadata:
      isFirst && caller.ip
        ? {
            callerIp: caller.ip,
            callerSuppliedUserAgent: caller.userAgent,
            requestAttributes: { time: timestamp, auth: {} },
            destinationAttributes: {},
          }
        : {},
    serviceName: 'compute.googleapis.com',
    methodName: call.methodName,
    ...(isFirst && call.log !== 'system_event'
      ? {
          authorizationInfo: [
            {
              permission: call.permission,
              granted: !call.denied,
              resourceAttributes: { service: 'compute', name, type: 'compute.instances' },
              ...(call.log === 'activity'
                ? { permissionType: 'ADMIN_WRITE' }
                : { permissionType: 'ADMIN_READ' }),
            },
          ],
        }
      : {}),
    resourceName: name,
    request: { '@type': `type.googleapis.com/compute.instances.${method}` },
    ...(operation && operation.phase === 'first' && !call.denied
      ? {
          response: {
            '@type': 'type.googleapis.com/operation',
            id: random.digits(19),
            name: operation.id,
            zone: `https://www.googleapis.com/compute/v1/projects/${instance.project}/zones/${instance.zone}`,
            operationType: method,
            targetLink: `https://www.googleapis.com/compute/v1/${name}`,
            targetId: instance.id,
            status: 'RUNNING',
            user: caller.email,
            progress: '0',
            insertTime: new Date(call.time).toISOString(),
            startTime: new Date(call.time + 40).toISOString(),
            selfLink: `https://www.googleapis.com/compute/v1/projects/${instance.project}/zones/${instance.zone}/operations/${operation.id}`,
          },
        }
      : {}),
    resourceLocation: { currentLocations: [instance.zone] },
  };
  const opField = operation
    ? {
        operation: {
          id: operation.id,
          producer: operation.producer ?? 'compute.googleapis.com',
          ...(operation.phase !== 'last' ? { first: true } : {}),
          ...(operation.phase !== 'first' ? { last: true } : {}),
        },
      }
    : {};
  return {
    protoPayload: payload,
    insertId: `-${random.hex(6)}${random.upper(5).toLowerCase()}`,
    resource: {
      type: 'gce_instance',
      labels: { instance_id: instance.id, project_id: instance.project, zone: instance.zone },
    },
    timestamp,
    severity:
      call.severity ??
      (call.denied
        ? 'ERROR'
        : call.log === 'system_event'
          ? 'INFO'
          : call.log === 'data_access'
            ? 'INFO'
            : 'NOTICE'),
    logName: `projects/${instance.project}/logs/cloudaudit.googleapis.com%2F${call.log}`,
    ...opField,
    receiveTimestamp: isoMicros(call.time + random.int(300, 1500), random),
  };
}

/** `operation-<epoch ms>-<hex>-<hex>-<hex>`, Compute Engine's operation name. */
export function gcpOperationId(random: Random, time: number): string {
  return `operation-${time}-${random.hex(13)}-${random.hex(8)}-${random.hex(8)}`;
}
