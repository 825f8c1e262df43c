import type {
  Actor,
  ActorType,
  ChainHop,
  EpochMs,
  ProviderId,
  RawPointer,
} from '../model/index.ts';

/**
 * What a role-issuing record (AssumeRole, GetRoleCredentials, ConsoleLogin, …) leaves
 * behind once its event is dropped: which identity received which temporary key.
 */
export interface CredentialLink {
  readonly accessKeyId: string;
  readonly eventId: string;
  /** `AssumeRole`, `AssumeRoleWithSAML`, `GetRoleCredentials`, … */
  readonly operation: string;
  readonly time: EpochMs;
  readonly expiresAt?: EpochMs;
  readonly sessionArn?: string;
  readonly sessionName?: string;
  readonly sourceIdentity?: string;
  /** Who called the issuing API. */
  readonly issuer: Actor;
  readonly raw: RawPointer;
}

/** Where resolution reads from: the store, so links found in other files and runs count. */
export interface IdentityLookup {
  credential(accessKeyId: string): Promise<CredentialLink | undefined>;
  /** A display name for a principal id (Azure object / app id), from an export or claims. */
  principalName(id: string): Promise<string | undefined>;
}

export interface Origin {
  readonly type: ActorType;
  readonly id?: string;
  readonly name?: string;
}

/** Who really acted, and how authority passed from them to the identity in the log. */
export interface ResolvedActor {
  readonly origin: Origin;
  /** Identities between the logged actor and the origin, nearest first, the origin last. */
  readonly hops: readonly ChainHop[];
  /** AWS `sourceIdentity`: set by the first caller and carried through role chaining. */
  readonly sourceIdentity?: string;
  /** Set when a link could not be followed: which one and why. */
  readonly missing?: string;
}

const MAX_HOPS = 10;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string | undefined): boolean {
  return value !== undefined && GUID.test(value);
}

function lastSegment(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const cut = arn.lastIndexOf('/');
  return cut >= 0 ? arn.slice(cut + 1) : undefined;
}

/** IAM Identity Center roles are named `AWSReservedSSO_<permission set>_<suffix>`. */
function ssoUser(actor: Actor): string | undefined {
  const role = actor.session?.issuer ?? actor.id ?? '';
  if (!role.includes('AWSReservedSSO_')) return undefined;
  return actor.session?.name ?? lastSegment(actor.id);
}

function isTemporaryKey(key: string | undefined): key is string {
  return key !== undefined && key.startsWith('ASIA');
}

function viaOf(operation: string, issuer: Actor): ChainHop['via'] {
  switch (operation) {
    case 'AssumeRoleWithSAML':
      return 'saml';
    case 'AssumeRoleWithWebIdentity':
      return 'web_identity';
    case 'GetFederationToken':
      return 'federation_token';
    case 'GetSessionToken':
    case 'ConsoleLogin':
      return 'session_token';
    case 'GetRoleCredentials':
    case 'Federate':
      return 'sso';
    default:
      return issuer.type === 'assumed_role' ? 'role_chaining' : 'assume_role';
  }
}

function originOf(actor: Actor): Origin {
  return {
    type: actor.type,
    ...(actor.id ? { id: actor.id } : {}),
    ...(actor.name ? { name: actor.name } : {}),
  };
}

function hopOf(actor: Actor, via: ChainHop['via']): ChainHop {
  return {
    type: actor.type,
    id: actor.id ?? actor.name ?? 'unknown',
    ...(actor.name ? { name: actor.name } : {}),
    via,
  };
}

/**
 * The principal a record itself names as the one behind the call, without looking at other
 * records: GCP's original caller (last delegation hop), the IAM Identity Center user of an
 * `AWSReservedSSO_` session, the AWS `sourceIdentity`, otherwise the actor's id. Stored with
 * every event so identity timelines find it with an index.
 */
export function recordPrincipal(provider: ProviderId, actor: Actor): string | undefined {
  if (provider === 'aws') return ssoUser(actor) ?? actor.session?.sourceIdentity ?? actor.id;
  if (provider === 'gcp' && actor.chain.length > 0) return actor.chain[actor.chain.length - 1]!.id;
  return actor.id ?? actor.name;
}

async function resolveAws(actor: Actor, lookup: IdentityLookup): Promise<ResolvedActor> {
  const hops: ChainHop[] = [...actor.chain];
  let current = actor;
  let sourceIdentity = actor.session?.sourceIdentity;
  const seen = new Set<string>();
  for (let depth = 0; ; depth++) {
    const key = current.session?.accessKeyId;
    const isSession = current.type === 'assumed_role' || current.type === 'federated_user';
    if (!isTemporaryKey(key) || seen.has(key)) {
      const sso = ssoUser(current);
      if (sso && key === undefined) {
        hops.push({ type: 'user', id: sso, name: sso, via: 'sso' });
        return {
          origin: { type: 'user', id: sso, name: sso },
          hops,
          ...(sourceIdentity ? { sourceIdentity } : {}),
        };
      }
      const unlinked = isSession && key === undefined && depth === 0;
      return {
        origin:
          sourceIdentity && unlinked
            ? { type: 'user', id: sourceIdentity, name: sourceIdentity }
            : originOf(current),
        hops,
        ...(sourceIdentity ? { sourceIdentity } : {}),
        ...(unlinked
          ? {
              missing: `Session "${current.id ?? current.name ?? 'unknown'}" carries no access key to follow to the identity that opened it`,
            }
          : {}),
      };
    }
    if (depth >= MAX_HOPS) {
      return {
        origin: originOf(current),
        hops,
        ...(sourceIdentity ? { sourceIdentity } : {}),
        missing: `Role chain is longer than ${MAX_HOPS} hops at access key "${key}"`,
      };
    }
    seen.add(key);
    const link = await lookup.credential(key);
    if (!link) {
      const sso = ssoUser(current);
      if (sso) {
        // The session name of an Identity Center role is the user's name by AWS design.
        const origin: Origin = { type: 'user', id: sso, name: sso };
        hops.push({ type: 'user', id: sso, name: sso, via: 'sso' });
        return { origin, hops, ...(sourceIdentity ? { sourceIdentity } : {}) };
      }
      if (!isSession)
        return { origin: originOf(current), hops, ...(sourceIdentity ? { sourceIdentity } : {}) };
      const missing =
        `No AssumeRole or other role-issuing event issued access key "${key}"` +
        `${current.id ? ` (session "${current.id}")` : ''} in the logs read`;
      // Without the link, the sourceIdentity (when set) is still the best name for the origin.
      const origin: Origin = sourceIdentity
        ? { type: 'user', id: sourceIdentity, name: sourceIdentity }
        : originOf(current);
      return { origin, hops, ...(sourceIdentity ? { sourceIdentity } : {}), missing };
    }
    sourceIdentity ??= link.sourceIdentity ?? link.issuer.session?.sourceIdentity;
    hops.push(hopOf(link.issuer, viaOf(link.operation, link.issuer)), ...link.issuer.chain);
    current = link.issuer;
  }
}

function resolveGcp(actor: Actor): ResolvedActor {
  const last = actor.chain[actor.chain.length - 1];
  if (!last) return { origin: originOf(actor), hops: [] };
  return {
    origin: { type: last.type, id: last.id, ...(last.name ? { name: last.name } : {}) },
    hops: actor.chain,
  };
}

async function nameHop(hop: ChainHop, lookup: IdentityLookup): Promise<ChainHop> {
  if (hop.name && !isGuid(hop.name)) return hop;
  const name = await lookup.principalName(hop.id);
  return name ? { ...hop, name } : hop;
}

async function resolveAzure(actor: Actor, lookup: IdentityLookup): Promise<ResolvedActor> {
  const hops = await Promise.all(actor.chain.map((hop) => nameHop(hop, lookup)));
  const id = actor.id ?? actor.name;
  const named = actor.name !== undefined && !isGuid(actor.name) && actor.name !== actor.id;
  if (named || id === undefined) return { origin: originOf(actor), hops };
  // Exports list object ids or app ids: try the principal, then the application behind it.
  const candidates = [id, ...actor.chain.filter((h) => h.via === 'application').map((h) => h.id)];
  for (const candidate of candidates) {
    const name = await lookup.principalName(candidate);
    if (name) return { origin: { type: actor.type, id, name }, hops };
  }
  return {
    origin: originOf(actor),
    hops,
    missing: `No display name for principal "${id}" in a directory export or in claims on other events`,
  };
}

/**
 * Names who really acted behind a logged actor: AWS sessions are followed back through the
 * events that issued their temporary keys (role chaining included, `sourceIdentity` kept);
 * a GCP delegation chain makes its original caller the actor of record; Azure GUID callers
 * get names from a directory export or other events' claims. When a link is not in the
 * store, `missing` says which one.
 *
 * @example
 * const resolved = await resolveActor('aws', stop.actor, store);
 * console.log(resolved.origin.name, resolved.missing ?? '');
 */
export async function resolveActor(
  provider: ProviderId,
  actor: Actor,
  lookup: IdentityLookup,
): Promise<ResolvedActor> {
  if (actor.type === 'unknown' && !actor.id && !actor.name) {
    return {
      origin: { type: 'unknown' },
      hops: [],
      missing: actor.gap ?? 'The log names no caller',
    };
  }
  switch (provider) {
    case 'aws':
      return resolveAws(actor, lookup);
    case 'gcp':
      return resolveGcp(actor);
    case 'azure':
      return resolveAzure(actor, lookup);
    default: {
      const never: never = provider;
      return never;
    }
  }
}

/**
 * Whether resolution reached past what the record itself names: hops found in other
 * records (the user whose AssumeRole opened the session, an SSO user).
 *
 * @example
 * if (tracedBeyondRecord(stop.actor, resolved)) console.log(resolved.origin.name);
 */
export function tracedBeyondRecord(actor: Actor, resolved: ResolvedActor): boolean {
  return resolved.hops.length > actor.chain.length;
}

/** The short form for a table: `alice ← role/Admin (assume_role) ← …`. */
export function describeResolved(resolved: ResolvedActor): string {
  const origin = resolved.origin.name ?? resolved.origin.id ?? 'unknown';
  const via =
    resolved.hops.length > 1
      ? ` via ${resolved.hops
          .slice(0, -1)
          .map((h) => h.name ?? h.id)
          .join(' → ')}`
      : '';
  return `${origin}${via}${resolved.missing ? ` (${resolved.missing})` : ''}`;
}
