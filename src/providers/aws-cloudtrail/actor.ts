import type { Actor, ActorType, ChainHop, Session } from '../../model/index.ts';
import { toEpochMs } from '../../model/index.ts';
import { compact, dig, digString, isObject, toBoolean } from './_access.ts';

/** Where an actor came from in the record: the dotted paths read, for `unmapped`. */
export interface ActorReading {
  readonly actor: Actor;
  readonly consumed: readonly string[];
}

/*
 * Reads the `userIdentity` paths an actor is built from and remembers each one used, so
 * the rest of the identity is kept in `unmapped` and nothing is copied twice.
 */
class IdentityReader {
  readonly #identity: unknown;
  readonly consumed: string[] = [];

  constructor(identity: unknown) {
    this.#identity = identity;
  }

  text(...keys: string[]): string | undefined {
    const found = digString(this.#identity, ...keys);
    if (found !== undefined) this.consumed.push(['userIdentity', ...keys].join('.'));
    return found;
  }

  flag(...keys: string[]): boolean | undefined {
    const found = toBoolean(dig(this.#identity, ...keys));
    if (found !== undefined) this.consumed.push(['userIdentity', ...keys].join('.'));
    return found;
  }
}

const SSO_ROLE = /^AWSReservedSSO_/;

/**
 * Who acted, from a CloudTrail `userIdentity` (and the record's
 * `sessionCredentialFromConsole`). Role sessions keep their issuer role and session name,
 * and an IAM Identity Center role (`AWSReservedSSO_…`) names the SSO user as the hop
 * behind it. A missing or empty identity is an actor of type `unknown` with a `gap`.
 *
 * @example
 * readActor({ type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::1:user/alice' }).actor.name; // 'alice'
 */
export function readActor(identity: unknown, fromConsole?: unknown): ActorReading {
  if (!isObject(identity) || Object.keys(identity).length === 0) {
    const gap = 'The record has no userIdentity: CloudTrail does not say who made the call';
    return { actor: { type: 'unknown', chain: [], gap }, consumed: [] };
  }
  const reader = new IdentityReader(identity);
  const type = reader.text('type');
  const base = {
    account: reader.text('accountId'),
    invokedBy: reader.text('invokedBy'),
  };
  const console = toBoolean(fromConsole);
  const actor = buildActor(type, reader, console);
  const consumed = [...reader.consumed];
  if (console !== undefined) consumed.push('sessionCredentialFromConsole');
  return { actor: compact({ ...base, ...actor }), consumed };
}

type ActorCore = Omit<Actor, 'account' | 'invokedBy'>;

function buildActor(
  type: string | undefined,
  reader: IdentityReader,
  console?: boolean,
): ActorCore {
  switch (type) {
    case 'IAMUser':
      return plainPrincipal('user', reader, console, reader.text('userName'));
    case 'Root':
      return plainPrincipal('root', reader, console, reader.text('userName') ?? 'root');
    case 'AssumedRole':
      return assumedRole(reader, console);
    case 'FederatedUser':
      return federatedUser(reader, console);
    case 'AWSService': {
      const service = reader.text('invokedBy');
      return service
        ? { type: 'service', id: service, name: service, chain: [] }
        : {
            type: 'service',
            chain: [],
            gap: 'The AWSService identity does not name the service (no invokedBy)',
          };
    }
    case 'IdentityCenterUser':
      return identityCenterUser(reader);
    case 'SAMLUser':
    case 'WebIdentityUser':
      return externalUser(type, reader);
    default:
      return otherPrincipal(type, reader);
  }
}

function session(
  reader: IdentityReader,
  console: boolean | undefined,
  extra: Partial<Session>,
): Session | undefined {
  const value = compact<Session>({
    ...extra,
    createdAt: toEpochMs(reader.text('sessionContext', 'attributes', 'creationDate')),
    mfa: reader.flag('sessionContext', 'attributes', 'mfaAuthenticated'),
    sourceIdentity: reader.text('sessionContext', 'sourceIdentity'),
    accessKeyId: reader.text('accessKeyId'),
    console,
  });
  return Object.keys(value).length > 0 ? value : undefined;
}

/** The identity's name from its ARN: the part after the last `/`. */
function arnName(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash >= 0 && slash < arn.length - 1 ? arn.slice(slash + 1) : undefined;
}

function plainPrincipal(
  type: 'user' | 'root',
  reader: IdentityReader,
  console: boolean | undefined,
  name: string | undefined,
): ActorCore {
  const id = reader.text('arn') ?? reader.text('principalId');
  return compact({
    type,
    id,
    name: name ?? arnName(id),
    session: session(reader, console, {}),
    chain: [],
    ...(id || name ? {} : { gap: `The ${type} identity has no ARN, principal id or user name` }),
  });
}

function assumedRole(reader: IdentityReader, console: boolean | undefined): ActorCore {
  const arn = reader.text('arn');
  const principalId = arn ? undefined : reader.text('principalId');
  // `arn:aws:sts::<account>:assumed-role/<role>/<session>`; the principal id ends `:<session>`.
  const marker = arn?.indexOf('assumed-role/') ?? -1;
  const path = arn && marker >= 0 ? arn.slice(marker + 'assumed-role/'.length) : undefined;
  const roleFromArn = path?.split('/')[0];
  const sessionName =
    (path && path.includes('/') ? path.slice(path.indexOf('/') + 1) : undefined) ??
    (principalId?.includes(':') ? principalId.slice(principalId.indexOf(':') + 1) : undefined);
  const issuer = reader.text('sessionContext', 'sessionIssuer', 'arn');
  const issuerType = reader.text('sessionContext', 'sessionIssuer', 'type');
  const roleName =
    reader.text('sessionContext', 'sessionIssuer', 'userName') ?? roleFromArn ?? arnName(issuer);
  const chain: ChainHop[] = [];
  if (issuer ?? roleName) {
    chain.push(
      compact({
        type: 'assumed_role',
        id: issuer ?? roleName!,
        name: roleName,
        via: 'assume_role',
      }) as ChainHop,
    );
  }
  if (roleName && SSO_ROLE.test(roleName) && sessionName) {
    // Identity Center names the role session after the signed-in user.
    chain.push({ type: 'user', id: sessionName, name: sessionName, via: 'sso' });
  }
  const provider = reader.text('sessionContext', 'webIdFederationData', 'federatedProvider');
  if (provider) chain.push({ type: 'service', id: provider, name: provider, via: 'web_identity' });
  const behalf = reader.text('onBehalfOf', 'userId');
  if (behalf) chain.push({ type: 'user', id: behalf, via: 'sso' });
  const name = roleName && sessionName ? `${roleName}/${sessionName}` : (roleName ?? sessionName);
  return compact({
    type: 'assumed_role',
    id: arn ?? principalId,
    name,
    session: session(reader, console, { name: sessionName, issuer, issuerType }),
    chain,
    ...(arn || principalId || issuer
      ? {}
      : { gap: 'The assumed-role identity has no ARN, principal id or issuer' }),
  });
}

function federatedUser(reader: IdentityReader, console: boolean | undefined): ActorCore {
  const arn = reader.text('arn');
  const id = arn ?? reader.text('principalId');
  const issuer = reader.text('sessionContext', 'sessionIssuer', 'arn');
  const issuerType = reader.text('sessionContext', 'sessionIssuer', 'type');
  const issuerName = reader.text('sessionContext', 'sessionIssuer', 'userName');
  const chain: ChainHop[] = issuer
    ? [
        compact({
          type: issuerType === 'Root' ? 'root' : 'user',
          id: issuer,
          name: issuerName,
          via: 'federation_token',
        }) as ChainHop,
      ]
    : [];
  return compact({
    type: 'federated_user',
    id,
    name: arnName(arn) ?? id?.split(':').pop(),
    session: session(reader, console, { issuer, issuerType }),
    chain,
    ...(id ? {} : { gap: 'The federated user identity has no ARN or principal id' }),
  });
}

function identityCenterUser(reader: IdentityReader): ActorCore {
  const userId = reader.text('onBehalfOf', 'userId') ?? reader.text('principalId');
  const name = reader.text('userName') ?? reader.text('credentialId');
  return compact({
    type: 'user',
    id: userId,
    name: name ?? userId,
    chain: [],
    ...(userId || name ? {} : { gap: 'The Identity Center identity names no user' }),
  });
}

function externalUser(type: 'SAMLUser' | 'WebIdentityUser', reader: IdentityReader): ActorCore {
  const id = reader.text('principalId');
  const name = reader.text('userName');
  const provider = reader.text('identityProvider');
  const via = type === 'SAMLUser' ? 'saml' : 'web_identity';
  return compact({
    type: 'federated_user',
    id: id ?? name,
    name: name ?? id,
    chain: provider
      ? [{ type: 'service', id: provider, name: provider, via } satisfies ChainHop]
      : [],
    ...(id || name ? {} : { gap: `The ${type} identity names no user` }),
  });
}

/** `AWSAccount`, `Unknown` and types AWS may add: keep what names someone, say what is missing. */
function otherPrincipal(type: string | undefined, reader: IdentityReader): ActorCore {
  const id = reader.text('arn') ?? reader.text('principalId');
  const name = reader.text('userName');
  const label = type === undefined ? 'without a type' : `of type "${type}"`;
  const actorType: ActorType = 'unknown';
  const gap =
    type === 'AWSAccount'
      ? 'The call came from another AWS account: its own trail names the principal'
      : id || name
        ? undefined
        : `The userIdentity ${label} names no principal`;
  return compact({ type: actorType, id, name: name ?? id, chain: [], gap });
}
