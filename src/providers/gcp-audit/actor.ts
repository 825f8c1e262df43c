import type { Actor, ActorType, ChainHop, Session } from '../../model/index.ts';
import type { AuthenticationInfo, DelegationHop } from './raw-schema.ts';

/** The text of the coverage gap when the log names nobody. */
export const EMPTY_AUTHENTICATION_GAP = 'protoPayload.authenticationInfo is empty';

/** Google itself: the principal of system events such as a preemption. */
export const GOOGLE_SYSTEM = 'system@google.com';

/*
 * Google-managed service agents: identities Google runs on a project's behalf (the
 * managed instance group agent `N@cloudservices`, the Compute Engine system agent
 * behind instance schedules and VM metadata tokens, `gcp-sa-*` product agents). Their
 * domains are reserved, so a user-made service account cannot match.
 */
const SERVICE_AGENT =
  /@(?:cloudservices\.gserviceaccount\.com|compute-system\.iam\.gserviceaccount\.com|container-engine-robot\.iam\.gserviceaccount\.com|gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com)$/i;

/**
 * The Google service an agent's email stands for (`compute-system.iam.gserviceaccount.com`),
 * or `undefined` for people and user-made service accounts.
 *
 * @example
 * serviceAgentOf('123@cloudservices.gserviceaccount.com'); // 'cloudservices.gserviceaccount.com'
 */
export function serviceAgentOf(email: string | undefined): string | undefined {
  if (!email) return undefined;
  if (email === GOOGLE_SYSTEM) return 'google.com';
  return SERVICE_AGENT.test(email) ? email.slice(email.lastIndexOf('@') + 1) : undefined;
}

function typeOfEmail(email: string): ActorType {
  if (email === GOOGLE_SYSTEM) return 'provider_system';
  return /\.gserviceaccount\.com$/i.test(email) ? 'service_account' : 'user';
}

/** `principal://…/workforcePools/…`, `serviceAccount:x`, `user:x`: what kind of principal. */
function typeOfSubject(subject: string): ActorType {
  if (/^principal(?:Set)?:\/\//.test(subject)) return 'federated_user';
  if (subject.startsWith('serviceAccount:')) return 'service_account';
  if (subject.startsWith('user:')) return 'user';
  return 'unknown';
}

/** The project a `name@PROJECT.iam.gserviceaccount.com` account lives in. */
function projectOfServiceAccount(email: string): string | undefined {
  return /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/i.exec(email)?.[1];
}

function claimText(claims: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = claims[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readHop(hop: DelegationHop): ChainHop | undefined {
  const email = hop.firstPartyPrincipal?.principalEmail;
  if (email) {
    return {
      type: typeOfEmail(email),
      id: email,
      via: serviceAgentOf(email) ? 'service' : 'impersonation',
    };
  }
  const claims = hop.thirdPartyPrincipal?.thirdPartyClaims;
  if (claims) {
    const id = hop.principalSubject ?? claimText(claims, 'sub') ?? claimText(claims, 'email');
    const name = claimText(claims, 'email') ?? claimText(claims, 'sub');
    if (id) return { type: 'federated_user', id, ...(name ? { name } : {}), via: 'web_identity' };
  }
  if (hop.principalSubject) {
    return {
      type: typeOfSubject(hop.principalSubject),
      id: hop.principalSubject,
      via: 'impersonation',
    };
  }
  // A hop naming nobody adds nothing to follow; its raw form stays in the record.
  return undefined;
}

/**
 * Who acted, from `protoPayload.authenticationInfo`: the principal, the key it used and
 * every `serviceAccountDelegationInfo` hop, in the log's order (nearest first, the last
 * hop being the original caller). When the log names nobody the actor says so in `gap`;
 * for a system event that nobody called it is Google itself.
 *
 * @example
 * readActor({ principalEmail: 'alice@example.com' }, { system: false }).type; // 'user'
 */
export function readActor(
  auth: AuthenticationInfo | undefined,
  options: { readonly system: boolean; readonly project?: string },
): Actor {
  const chain = (auth?.serviceAccountDelegationInfo ?? [])
    .map(readHop)
    .filter((hop): hop is ChainHop => hop !== undefined);
  const email = auth?.principalEmail || undefined;
  const subject = auth?.principalSubject || undefined;
  if (!email && !subject) {
    return {
      type: options.system ? 'provider_system' : 'unknown',
      chain,
      gap: EMPTY_AUTHENTICATION_GAP,
    };
  }
  const type = email ? typeOfEmail(email) : typeOfSubject(subject!);
  const name = email ?? /\/subject\/([^/]+)$/.exec(subject!)?.[1] ?? subject;
  const home = email ? projectOfServiceAccount(email) : undefined;
  const session: Session | undefined = auth?.serviceAccountKeyName
    ? { accessKeyId: auth.serviceAccountKeyName }
    : undefined;
  return {
    type,
    id: email ?? subject,
    ...(name ? { name } : {}),
    ...(home && home !== options.project ? { account: home } : {}),
    ...(session ? { session } : {}),
    chain,
  };
}
