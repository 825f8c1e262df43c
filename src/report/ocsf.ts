import type { ResolvedActor } from '../context/identity-chain.ts';
import type {
  Action,
  Actor,
  AuditEvent,
  InstanceStop,
  Outcome,
  SourceEndpoint,
  Target,
} from '../model/index.ts';
import { formatPointer } from '../model/index.ts';

/*
 * OCSF 1.x API Activity (class 6003, category 6 Application Activity). Activity ids:
 * 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. A stop changes an instance's state, so it
 * is an Update; a termination deletes the instance.
 */
export const OCSF_VERSION = '1.3.0';
const CLASS_UID = 6003;
const CATEGORY_UID = 6;

const ACTIVITY: Readonly<Record<Action, readonly [number, string]>> = {
  'instance.stop': [3, 'Update'],
  'instance.deallocate': [3, 'Update'],
  'instance.power_off': [3, 'Update'],
  'instance.suspend': [3, 'Update'],
  'instance.hibernate': [3, 'Update'],
  'instance.start': [3, 'Update'],
  'instance.resume': [3, 'Update'],
  'instance.reboot': [3, 'Update'],
  'instance.modify': [3, 'Update'],
  'instance.state_change': [3, 'Update'],
  'instance.terminate': [4, 'Delete'],
  'logging.change': [3, 'Update'],
  'identity.assume': [99, 'Other'],
  'identity.login': [99, 'Other'],
};

const STATUS: Readonly<Record<Outcome['status'], readonly [number, string]>> = {
  success: [1, 'Success'],
  failure: [2, 'Failure'],
  accepted: [99, 'Accepted'],
  in_progress: [99, 'In Progress'],
  unknown: [0, 'Unknown'],
};

const CLOUD_PROVIDER = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' } as const;

/** OCSF user type ids: 1 User, 2 Admin, 3 System, 99 Other. */
function userTypeId(actor: Actor): number {
  switch (actor.type) {
    case 'user':
    case 'federated_user':
      return 1;
    case 'root':
      return 2;
    case 'provider_system':
    case 'service':
      return 3;
    case 'unknown':
      return 0;
    case 'assumed_role':
    case 'service_account':
    case 'service_principal':
    case 'managed_identity':
      return 99;
    default: {
      const never: never = actor.type;
      return never;
    }
  }
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  ) as T;
}

function actorObject(actor: Actor): Record<string, unknown> {
  const session = actor.session;
  return compact({
    user: compact({
      uid: actor.id,
      name: actor.name,
      type: actor.type,
      type_id: userTypeId(actor),
      account: actor.account ? { uid: actor.account } : undefined,
    }),
    session: session
      ? compact({
          uid: session.accessKeyId,
          issuer: session.issuer,
          is_mfa: session.mfa,
          created_time: session.createdAt,
          credential_uid: session.accessKeyId,
        })
      : undefined,
    invoked_by: actor.invokedBy,
  });
}

function sourceObjects(source: SourceEndpoint): Record<string, unknown> {
  return compact({
    src_endpoint: compact({ ip: source.ip, svc_name: source.service }),
    http_request: source.userAgent ? { user_agent: source.userAgent } : undefined,
  });
}

function resource(target: Target): Record<string, unknown> {
  return compact({ uid: target.uid, name: target.name, type: target.type, zone: target.zone });
}

interface Common {
  readonly action: Action;
  readonly operation: string;
  readonly service: string;
  readonly provider: AuditEvent['provider'];
  readonly time: number;
  readonly outcome: Outcome;
  readonly scope: AuditEvent['scope'];
  readonly actor: Actor;
  readonly source: SourceEndpoint;
  readonly targets: readonly Target[];
  readonly uid: string;
  readonly correlationId?: string;
}

function base(item: Common): Record<string, unknown> {
  const [activityId, activityName] = ACTIVITY[item.action];
  const [statusId, status] = STATUS[item.outcome.status];
  return compact({
    class_uid: CLASS_UID,
    class_name: 'API Activity',
    category_uid: CATEGORY_UID,
    category_name: 'Application Activity',
    activity_id: activityId,
    activity_name: activityName,
    type_uid: CLASS_UID * 100 + activityId,
    type_name: `API Activity: ${activityName}`,
    severity_id: 1,
    severity: 'Informational',
    time: item.time,
    status_id: statusId,
    status,
    status_code: item.outcome.code,
    status_detail: item.outcome.message,
    actor: actorObject(item.actor),
    ...sourceObjects(item.source),
    api: compact({
      operation: item.operation,
      service: { name: item.service },
      request: item.correlationId ? { uid: item.correlationId } : undefined,
    }),
    cloud: compact({
      provider: CLOUD_PROVIDER[item.provider],
      account: item.scope.account ? { uid: item.scope.account } : undefined,
      region: item.scope.region,
      zone: item.scope.zone,
    }),
    resources: item.targets.map(resource),
    metadata: compact({
      product: { name: 'haltwatch', vendor_name: 'haltwatch' },
      version: OCSF_VERSION,
      uid: item.uid,
      correlation_uid: item.correlationId,
    }),
  });
}

/** The service a stop was asked of: the model keeps it per event, the stop per cloud. */
const STOP_SERVICE = {
  aws: 'ec2.amazonaws.com',
  gcp: 'compute.googleapis.com',
  azure: 'Microsoft.Compute',
} as const;

/**
 * A stop as an OCSF API Activity event. What OCSF has no field for (the kind of stop, its
 * cause, the delegation chain, the raw record pointers, who really acted when identities
 * were resolved) goes in `unmapped`.
 *
 * @example
 * JSON.stringify(ocsfStop(stop));
 */
export function ocsfStop(stop: InstanceStop, resolved?: ResolvedActor): Record<string, unknown> {
  return {
    ...base({
      ...stop,
      service: STOP_SERVICE[stop.provider],
      targets: [stop.instance],
      uid: stop.id,
    }),
    unmapped: compact({
      haltwatch_record: 'stop',
      action: stop.action,
      cause: stop.cause,
      end_time: stop.endTime,
      parameters: stop.parameters,
      resource_group: stop.scope.resourceGroup,
      client_kind: stop.source.clientKind,
      actor_gap: stop.actor.gap,
      session_name: stop.actor.session?.name,
      source_identity: stop.actor.session?.sourceIdentity,
      delegation_chain: stop.actor.chain.length > 0 ? stop.actor.chain : undefined,
      event_ids: stop.eventIds,
      raw: stop.raws.map(formatPointer),
      resolved_actor: resolved,
    }),
  };
}

/** An event as OCSF API Activity; the provider's own unmapped fields ride along. */
export function ocsfEvent(event: AuditEvent): Record<string, unknown> {
  return {
    ...base({ ...event, uid: event.id }),
    unmapped: compact({
      ...event.unmapped,
      haltwatch_record: 'event',
      action: event.action,
      cause: event.cause,
      phase: event.phase,
      parameters: event.parameters,
      resource_group: event.scope.resourceGroup,
      client_kind: event.source.clientKind,
      actor_gap: event.actor.gap,
      session_name: event.actor.session?.name,
      source_identity: event.actor.session?.sourceIdentity,
      delegation_chain: event.actor.chain.length > 0 ? event.actor.chain : undefined,
      raw: formatPointer(event.raw),
    }),
  };
}

/** OCSF events as JSON lines: stops, then (with `--all`) the related events. */
export function* ocsfLines(
  stops: readonly InstanceStop[],
  events: readonly AuditEvent[] = [],
  resolved?: readonly (ResolvedActor | undefined)[],
): Generator<string> {
  for (const [index, stop] of stops.entries())
    yield `${JSON.stringify(ocsfStop(stop, resolved?.[index]))}\n`;
  for (const event of events) yield `${JSON.stringify(ocsfEvent(event))}\n`;
}
