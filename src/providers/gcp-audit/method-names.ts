import type { Action, Cause, TargetType } from '../../model/index.ts';

/** What one audited method means for haltwatch. */
export interface MethodMeaning {
  readonly action: Action;
  readonly cause: Cause;
  /** What the entry's resource is: one instance, the instances a group manager was asked to act on, … */
  readonly target:
    'instance' | 'group_instances' | Exclude<TargetType, 'instance' | 'scale_set_instance'>;
  /** Recorded by Google itself with no API caller (`system_event` log). */
  readonly system: boolean;
}

function api(action: Action, target: MethodMeaning['target'] = 'instance'): MethodMeaning {
  return { action, cause: 'api_call', target, system: false };
}

function system(action: Action, cause: Cause): MethodMeaning {
  return { action, cause, target: 'instance', system: true };
}

/*
 * Compute Engine methods after the API version prefix (`v1.`, `beta.`, `alpha.`) is cut
 * off. Compared case-sensitively: `compute.instances.Stop` is not a method Google logs.
 */
const COMPUTE: Readonly<Record<string, MethodMeaning>> = {
  'compute.instances.stop': api('instance.stop'),
  'compute.instances.suspend': api('instance.suspend'),
  'compute.instances.start': api('instance.start'),
  'compute.instances.startWithEncryptionKey': api('instance.start'),
  'compute.instances.resume': api('instance.resume'),
  'compute.instances.reset': api('instance.reboot'),
  'compute.instances.delete': api('instance.terminate'),
  'compute.instances.setMetadata': api('instance.modify'),
  'compute.instances.setMachineType': api('instance.modify'),
  'compute.instances.setServiceAccount': api('instance.modify'),
  'compute.instances.setLabels': api('instance.modify'),
  'compute.instances.setScheduling': api('instance.modify'),
  'compute.instances.setDeletionProtection': api('instance.modify'),
  'compute.instances.setMinCpuPlatform': api('instance.modify'),
  'compute.instances.setTags': api('instance.modify'),
  'compute.instances.update': api('instance.modify'),
  'compute.instances.updateShieldedInstanceConfig': api('instance.modify'),
  'compute.instances.updateNetworkInterface': api('instance.modify'),
  'compute.instances.attachDisk': api('instance.modify'),
  'compute.instances.detachDisk': api('instance.modify'),
  // Project metadata reaches every instance (SSH keys, startup scripts): a modify of them all.
  'compute.projects.setCommonInstanceMetadata': api('instance.modify', 'other'),
  // Group managers act on the instances named in the request, one target each.
  'compute.instanceGroupManagers.stopInstances': api('instance.stop', 'group_instances'),
  'compute.instanceGroupManagers.suspendInstances': api('instance.suspend', 'group_instances'),
  'compute.instanceGroupManagers.startInstances': api('instance.start', 'group_instances'),
  'compute.instanceGroupManagers.resumeInstances': api('instance.resume', 'group_instances'),
  'compute.instanceGroupManagers.deleteInstances': api('instance.terminate', 'group_instances'),
  'compute.regionInstanceGroupManagers.stopInstances': api('instance.stop', 'group_instances'),
  'compute.regionInstanceGroupManagers.suspendInstances': api(
    'instance.suspend',
    'group_instances',
  ),
  'compute.regionInstanceGroupManagers.startInstances': api('instance.start', 'group_instances'),
  'compute.regionInstanceGroupManagers.resumeInstances': api('instance.resume', 'group_instances'),
  'compute.regionInstanceGroupManagers.deleteInstances': api(
    'instance.terminate',
    'group_instances',
  ),
  // System events: Google stopped or restarted the VM, nobody called an API.
  'compute.instances.guestTerminate': system('instance.stop', 'guest_os'),
  'compute.instances.preempted': system('instance.stop', 'preemption'),
  'compute.instances.hostError': system('instance.stop', 'host_error'),
  'compute.instances.terminateOnHostMaintenance': system('instance.stop', 'host_maintenance'),
  'compute.instances.automaticRestart': system('instance.start', 'system_restart'),
};

/** Service Account Credentials: minting a credential of another identity is impersonation. */
const IMPERSONATION = new Set(['GenerateAccessToken', 'GenerateIdToken', 'SignJwt', 'SignBlob']);

/** Changes to what is logged, where it goes and how long it is kept. */
const LOGGING: Readonly<Record<string, MethodMeaning>> = Object.fromEntries(
  [
    ['google.logging.v2.ConfigServiceV2.DeleteSink', 'log_sink'],
    ['google.logging.v2.ConfigServiceV2.UpdateSink', 'log_sink'],
    ['google.logging.v2.ConfigServiceV2.CreateExclusion', 'log_sink'],
    ['google.logging.v2.ConfigServiceV2.UpdateExclusion', 'log_sink'],
    ['google.logging.v2.ConfigServiceV2.DeleteExclusion', 'log_sink'],
    ['google.logging.v2.ConfigServiceV2.UpdateCmekSettings', 'other'],
    ['google.logging.v2.ConfigServiceV2.UpdateSettings', 'other'],
    ['google.logging.v2.ConfigServiceV2.DeleteBucket', 'other'],
    ['google.logging.v2.ConfigServiceV2.UpdateBucket', 'other'],
    ['google.logging.v2.LoggingServiceV2.DeleteLog', 'other'],
  ].map(([method, target]) => [method, api('logging.change', target as MethodMeaning['target'])]),
);

const VERSION_PREFIX = /^(?:v1|beta|alpha)\./;

/** `beta.compute.instances.stop` → `compute.instances.stop`; other names unchanged. */
export function stripVersion(methodName: string): string {
  return methodName.replace(VERSION_PREFIX, '');
}

/** The facts about an entry that decide what its method means. */
export interface MethodFacts {
  readonly methodName: string;
  readonly serviceName?: string;
  /** `operation.producer`: names the system event when the method says `compute.instances.unknown`. */
  readonly producer?: string;
  /** SetIamPolicy touches logging only when it changes audit configs. */
  readonly hasAuditConfigDeltas?: boolean;
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * What an audited method means, or `undefined` for everything haltwatch does not report
 * (reads, inserts, other services).
 *
 * @example
 * meaningOf({ methodName: 'beta.compute.instances.stop' })?.action; // 'instance.stop'
 */
export function meaningOf(facts: MethodFacts): MethodMeaning | undefined {
  const method = stripVersion(facts.methodName);
  const compute = own(COMPUTE, method);
  if (compute) return compute;
  // Google has logged system events as `compute.instances.unknown` with the event named in
  // `operation.producer` (a preemption in the corpus): the producer is then the method.
  if (/^compute\.instances\.unknown$/.test(method) && facts.producer) {
    const byProducer = own(COMPUTE, facts.producer);
    if (byProducer?.system) return byProducer;
  }
  const logging = own(LOGGING, facts.methodName);
  if (logging) return logging;
  if (facts.hasAuditConfigDeltas && /(?:^|\.)SetIamPolicy$/.test(facts.methodName)) {
    return api('logging.change', 'other');
  }
  const last = facts.methodName.slice(facts.methodName.lastIndexOf('.') + 1);
  const credentials =
    facts.serviceName === 'iamcredentials.googleapis.com' ||
    facts.serviceName === 'iam.googleapis.com' ||
    facts.methodName === last ||
    facts.methodName.startsWith('google.iam.credentials.');
  if (credentials && IMPERSONATION.has(last)) return api('identity.assume', 'role');
  return undefined;
}

/*
 * Byte needles for the prefilter (see `Provider.needles`). Pub/Sub envelopes carry the
 * entry base64-encoded, so their own keys let them through. No needle ends with a quote.
 */
const PUBSUB_NEEDLES = ['"subscription', '"messageId', '"ackId'];

const STOP_NEEDLES = [
  'compute.instances.stop',
  'compute.instances.suspend',
  'compute.instances.guestTerminate',
  'compute.instances.preempted',
  'compute.instances.hostError',
  'compute.instances.terminateOnHostMaintenance',
  'nstanceGroupManagers.stopInstances',
  'nstanceGroupManagers.suspendInstances',
];

/** Present in every record that can yield a stop. */
export const stopNeedles: readonly string[] = [...STOP_NEEDLES, ...PUBSUB_NEEDLES];

/** Present in every record that can yield any event. */
export const allNeedles: readonly string[] = [
  ...new Set([
    ...STOP_NEEDLES,
    ...Object.keys(COMPUTE),
    ...Object.keys(LOGGING),
    ...IMPERSONATION,
    'auditConfigDeltas',
    ...PUBSUB_NEEDLES,
  ]),
];
