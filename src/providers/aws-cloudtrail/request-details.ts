import type { Action, EpochMs, IssuedCredential, Target } from '../../model/index.ts';
import { toEpochMs } from '../../model/index.ts';
import { compact, dig, digObjects, digString, isObject, setOwn, toBoolean } from './_access.ts';
import type { MappedEventName } from './event-names.ts';

type Parameters = Record<string, string | number | boolean>;

/** What a request's parameters and response say, beyond the common record fields. */
export interface RequestDetails {
  readonly action: Action;
  readonly targets: readonly Target[];
  readonly parameters?: Readonly<Parameters>;
  readonly issued?: IssuedCredential;
  /** A failure the response states without an `errorCode` (`ConsoleLogin: Failure`). */
  readonly failed?: boolean;
  /** Dotted record paths read here, kept out of `unmapped`. */
  readonly consumed: readonly string[];
}

interface Request {
  readonly eventName: string;
  readonly requestParameters: unknown;
  readonly responseElements: unknown;
  readonly additionalEventData: unknown;
}

/**
 * Targets, parameters and issued credentials of one mapped request. Reads only what the
 * API documents for that call; anything else stays in the record for `unmapped`.
 *
 * @example
 * readDetails(EVENT_NAMES.StopInstances, record).targets[0]?.uid; // 'i-0123…'
 */
export function readDetails(mapped: MappedEventName, request: Request): RequestDetails {
  switch (mapped.kind) {
    case 'instances':
      return instances(mapped.action, request);
    case 'attribute':
      return attribute(mapped.action, request);
    case 'metadata':
      return metadata(mapped.action, request);
    case 'credentials':
      return credentials(mapped.action, request);
    case 'login':
      return login(mapped.action, request);
    case 'trail':
      return trail(mapped.action, request);
    default: {
      // Every kind is handled above; a new one fails to compile here.
      const unhandled: never = mapped.kind;
      void unhandled;
      return { action: mapped.action, targets: [], consumed: [] };
    }
  }
}

/** Stop, start, terminate, reboot: every instance named, with its own before/after state. */
function instances(action: Action, request: Request): RequestDetails {
  const consumed: string[] = [];
  const states = new Map<string, { before?: string; after?: string }>();
  const responseItems = digObjects(request.responseElements, 'instancesSet', 'items');
  if (responseItems.length > 0) consumed.push('responseElements.instancesSet');
  for (const item of responseItems) {
    const uid = digString(item, 'instanceId');
    if (uid)
      states.set(uid, {
        before: digString(item, 'previousState', 'name'),
        after: digString(item, 'currentState', 'name'),
      });
  }
  const requested = digObjects(request.requestParameters, 'instancesSet', 'items')
    .map((item) => digString(item, 'instanceId'))
    .filter((uid): uid is string => uid !== undefined);
  if (requested.length > 0) consumed.push('requestParameters.instancesSet');
  const uids = [...new Set(requested.length > 0 ? requested : [...states.keys()])];
  const targets = uids.map((uid): Target => {
    const state = states.get(uid);
    return {
      type: 'instance',
      uid,
      ...(state?.before ? { stateBefore: state.before } : {}),
      ...(state?.after ? { stateAfter: state.after } : {}),
    };
  });
  const parameters: Parameters = {};
  for (const key of ['force', 'hibernate'] as const) {
    const value = toBoolean(dig(request.requestParameters, key));
    if (value === undefined) continue;
    parameters[key] = value;
    consumed.push(`requestParameters.${key}`);
  }
  const hibernate = action === 'instance.stop' && parameters.hibernate === true;
  return {
    action: hibernate ? 'instance.hibernate' : action,
    targets,
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    consumed,
  };
}

function instanceTarget(uid: string | undefined): Target[] {
  return uid ? [{ type: 'instance', uid }] : [];
}

/** `ModifyInstanceAttribute`: which attribute changed (`userData`, `instanceType`, …). */
function attribute(action: Action, request: Request): RequestDetails {
  const parametersIn = request.requestParameters;
  const uid = digString(parametersIn, 'instanceId');
  const consumed = uid ? ['requestParameters.instanceId'] : [];
  const named = digString(parametersIn, 'attribute');
  if (named) consumed.push('requestParameters.attribute');
  // Without `attribute`, the changed attribute is the member beside the instance id.
  const changed =
    named ??
    (isObject(parametersIn)
      ? Object.keys(parametersIn)
          .filter((key) => key !== 'instanceId' && key !== 'value')
          .join(',')
      : '');
  return {
    action,
    targets: instanceTarget(uid),
    ...(changed ? { parameters: { attribute: changed } } : {}),
    consumed,
  };
}

/** `ModifyInstanceMetadataOptions`: the options set (`HttpTokens: optional` re-enables IMDSv1). */
function metadata(action: Action, request: Request): RequestDetails {
  const wrapped = dig(request.requestParameters, 'ModifyInstanceMetadataOptionsRequest');
  const body = isObject(wrapped) ? wrapped : request.requestParameters;
  const prefix = isObject(wrapped)
    ? 'requestParameters.ModifyInstanceMetadataOptionsRequest'
    : 'requestParameters';
  const consumed: string[] = [];
  const parameters: Parameters = { attribute: 'metadataOptions' };
  let uid: string | undefined;
  if (isObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'InstanceId' || key === 'instanceId') {
        if (typeof value === 'string' && value) uid = value;
      } else if (
        typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean'
      ) {
        setOwn(parameters, key, value);
      } else continue;
      consumed.push(`${prefix}.${key}`);
    }
  }
  return { action, targets: instanceTarget(uid), parameters, consumed };
}

/** Role assumptions and token grants: the credential handed out links later sessions here. */
function credentials(action: Action, request: Request): RequestDetails {
  const consumed: string[] = [];
  const take = (
    root: 'requestParameters' | 'responseElements',
    ...keys: string[]
  ): string | undefined => {
    const value = digString(
      root === 'requestParameters' ? request.requestParameters : request.responseElements,
      ...keys,
    );
    if (value !== undefined) consumed.push([root, ...keys].join('.'));
    return value;
  };
  const targets: Target[] = [];
  const roleArn = take('requestParameters', 'roleArn');
  if (roleArn)
    targets.push({ type: 'role', uid: roleArn, name: roleArn.slice(roleArn.lastIndexOf('/') + 1) });
  const roleName = take('requestParameters', 'roleName');
  if (roleName && !roleArn) {
    const account = take('requestParameters', 'accountId');
    targets.push({
      type: 'role',
      uid: account ? `arn:aws:iam::${account}:role/${roleName}` : roleName,
      name: roleName,
    });
  }
  const sessionArn =
    take('responseElements', 'assumedRoleUser', 'arn') ??
    take('responseElements', 'federatedUser', 'arn');
  const expiration = dig(request.responseElements, 'credentials', 'expiration');
  const expiresAt = toExpiry(expiration);
  if (expiresAt !== undefined) consumed.push('responseElements.credentials.expiration');
  const issued = compact<IssuedCredential>({
    accessKeyId: take('responseElements', 'credentials', 'accessKeyId'),
    sessionArn,
    sessionName:
      take('requestParameters', 'roleSessionName') ??
      (request.eventName === 'GetFederationToken'
        ? take('requestParameters', 'name')
        : undefined) ??
      (sessionArn ? sessionArn.slice(sessionArn.lastIndexOf('/') + 1) : undefined),
    sourceIdentity:
      take('requestParameters', 'sourceIdentity') ?? take('responseElements', 'sourceIdentity'),
    expiresAt,
  });
  return {
    action,
    targets,
    ...(Object.keys(issued).length > 0 ? { issued } : {}),
    consumed,
  };
}

/**
 * Credential expiry. STS writes `"Aug 1, 2024, 11:45:21 AM"` (UTC, no zone), which
 * `Date.parse` would read as local time; newer records use ISO 8601.
 */
export function toExpiry(value: unknown): EpochMs | undefined {
  if (typeof value === 'number') return toEpochMs(value);
  if (typeof value !== 'string') return undefined;
  if (/^[A-Z][a-z]{2} \d{1,2}, \d{4},? \d{1,2}:\d{2}:\d{2} [AP]M$/.test(value))
    return toEpochMs(Date.parse(`${value} UTC`));
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? toEpochMs(value) : undefined;
}

/** `ConsoleLogin`: its outcome lives in the response, and whether MFA was used. */
function login(action: Action, request: Request): RequestDetails {
  const consumed: string[] = [];
  const result = digString(request.responseElements, 'ConsoleLogin');
  if (result) consumed.push('responseElements.ConsoleLogin');
  const mfaUsed = digString(request.additionalEventData, 'MFAUsed');
  const parameters: Parameters = {};
  if (mfaUsed === 'Yes' || mfaUsed === 'No') {
    parameters.mfaUsed = mfaUsed === 'Yes';
    consumed.push('additionalEventData.MFAUsed');
  }
  return {
    action,
    targets: [],
    ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    ...(result === 'Failure' ? { failed: true } : {}),
    consumed,
  };
}

/** Trail and event data store changes: the trail is the target. */
function trail(action: Action, request: Request): RequestDetails {
  for (const key of ['name', 'trailName', 'eventDataStore']) {
    const uid = digString(request.requestParameters, key);
    if (uid)
      return { action, targets: [{ type: 'trail', uid }], consumed: [`requestParameters.${key}`] };
  }
  return { action, targets: [], consumed: [] };
}
