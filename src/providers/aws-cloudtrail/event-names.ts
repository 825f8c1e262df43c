import type { Action } from '../../model/index.ts';

/** What kind of request an event name is, which decides how its details are read. */
export type RequestKind =
  'instances' | 'attribute' | 'metadata' | 'credentials' | 'login' | 'trail';

export interface MappedEventName {
  /** The action; a `StopInstances` with `hibernate: true` becomes `instance.hibernate` later. */
  readonly action: Action;
  readonly kind: RequestKind;
  /**
   * The services that own this name. Names are matched with their service because some
   * are reused elsewhere (`CreateToken`, `Federate`); a record from another service is noise.
   */
  readonly sources: readonly string[];
}

const EC2 = ['ec2.amazonaws.com'];
const STS = ['sts.amazonaws.com'];
const CLOUDTRAIL = ['cloudtrail.amazonaws.com'];

/**
 * Every CloudTrail event name haltwatch reads, with the action it stands for. Any other
 * name is noise (a Describe call) and yields no event.
 */
export const EVENT_NAMES: Readonly<Record<string, MappedEventName>> = {
  StopInstances: { action: 'instance.stop', kind: 'instances', sources: EC2 },
  StartInstances: { action: 'instance.start', kind: 'instances', sources: EC2 },
  TerminateInstances: { action: 'instance.terminate', kind: 'instances', sources: EC2 },
  RebootInstances: { action: 'instance.reboot', kind: 'instances', sources: EC2 },
  ModifyInstanceAttribute: { action: 'instance.modify', kind: 'attribute', sources: EC2 },
  ModifyInstanceMetadataOptions: { action: 'instance.modify', kind: 'metadata', sources: EC2 },
  AssumeRole: { action: 'identity.assume', kind: 'credentials', sources: STS },
  AssumeRoleWithSAML: { action: 'identity.assume', kind: 'credentials', sources: STS },
  AssumeRoleWithWebIdentity: { action: 'identity.assume', kind: 'credentials', sources: STS },
  GetFederationToken: { action: 'identity.assume', kind: 'credentials', sources: STS },
  GetSessionToken: { action: 'identity.assume', kind: 'credentials', sources: STS },
  // IAM Identity Center: the portal hands out role credentials to a signed-in SSO user.
  GetRoleCredentials: {
    action: 'identity.assume',
    kind: 'credentials',
    sources: ['sso.amazonaws.com'],
  },
  Federate: {
    action: 'identity.assume',
    kind: 'credentials',
    sources: ['sso.amazonaws.com', 'signin.amazonaws.com'],
  },
  CreateToken: {
    action: 'identity.assume',
    kind: 'credentials',
    sources: ['sso-oauth.amazonaws.com', 'sso.amazonaws.com'],
  },
  ConsoleLogin: { action: 'identity.login', kind: 'login', sources: ['signin.amazonaws.com'] },
  StopLogging: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  StartLogging: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  DeleteTrail: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  UpdateTrail: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  PutEventSelectors: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  PutInsightSelectors: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  DeleteEventDataStore: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
  StopEventDataStoreIngestion: { action: 'logging.change', kind: 'trail', sources: CLOUDTRAIL },
};

/**
 * The mapping for an event name, or `undefined` for noise. `eventSource` may be unknown
 * (the record lacks it); the caller reports that instead of guessing.
 *
 * @example
 * mappedEventName('StopInstances')?.action; // 'instance.stop'
 */
export function mappedEventName(eventName: unknown): MappedEventName | undefined {
  if (typeof eventName !== 'string') return undefined;
  return Object.hasOwn(EVENT_NAMES, eventName) ? EVENT_NAMES[eventName] : undefined;
}
