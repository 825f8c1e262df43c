import type { AuditEvent, EpochMs } from '../model/index.ts';
import type { CredentialLink, IdentityLookup } from './identity-chain.ts';
import { isGuid } from './identity-chain.ts';

/**
 * The credential a role-issuing event (AssumeRole, GetRoleCredentials, …) handed out, or
 * `undefined` when it names none. The store keeps exactly this in its `credentials` table.
 *
 * @example
 * const link = credentialLinkOf(assumeRoleEvent); // link?.accessKeyId === 'ASIA…'
 */
export function credentialLinkOf(event: AuditEvent): CredentialLink | undefined {
  const issued = event.issued;
  if (!issued?.accessKeyId) return undefined;
  const sourceIdentity = issued.sourceIdentity ?? event.actor.session?.sourceIdentity;
  return {
    accessKeyId: issued.accessKeyId,
    eventId: event.id,
    operation: event.operation,
    time: event.time,
    ...(issued.expiresAt !== undefined ? { expiresAt: issued.expiresAt } : {}),
    ...(issued.sessionArn ? { sessionArn: issued.sessionArn } : {}),
    ...(issued.sessionName ? { sessionName: issued.sessionName } : {}),
    ...(sourceIdentity ? { sourceIdentity } : {}),
    issuer: event.actor,
    raw: event.raw,
  };
}

/** A display name an event's claims give a principal id (Azure object or application id). */
export interface ClaimName {
  readonly id: string;
  readonly name: string;
}

/**
 * Names an Azure event's claims give to GUID principals, for resolving other events whose
 * claims carry only the GUID.
 *
 * @example
 * claimNamesOf(azureEvent); // [{ id: '0b1c…', name: 'maria.lopez@contoso.example' }]
 */
export function claimNamesOf(event: AuditEvent): ClaimName[] {
  if (event.provider !== 'azure') return [];
  const names: ClaimName[] = [];
  const add = (id: string | undefined, name: string | undefined): void => {
    if (!id || !name || name === id || isGuid(name)) return;
    names.push({ id, name });
  };
  add(event.actor.id, event.actor.name);
  for (const hop of event.actor.chain) {
    add(hop.id, hop.name);
    // A service principal's application id carries the same display name.
    if (hop.via === 'application' && !hop.name) add(hop.id, event.actor.name);
  }
  return names;
}

/**
 * Identity links held in memory, from the events of one scan: what `scan --resolve` follows
 * without a store. The first event to issue a key wins (keys are unique); a principal takes
 * the name of its latest claims.
 *
 * @example
 * const lookup = new MemoryIdentityLookup();
 * for (const event of result.events) lookup.add(event);
 * const resolved = await resolveActor('aws', stop.actor, lookup);
 */
export class MemoryIdentityLookup implements IdentityLookup {
  readonly #credentials = new Map<string, CredentialLink>();
  readonly #names = new Map<string, { name: string; seen: EpochMs }>();

  /** The credential an event handed out and the names its claims give, if any. */
  add(event: AuditEvent): void {
    const link = credentialLinkOf(event);
    if (link) this.addLink(link);
    for (const { id, name } of claimNamesOf(event)) {
      const known = this.#names.get(id);
      if (!known || known.seen <= event.time) this.#names.set(id, { name, seen: event.time });
    }
  }

  /** A credential read without its event (what `scan --resolve` keeps). */
  addLink(link: CredentialLink): void {
    if (!this.#credentials.has(link.accessKeyId)) this.#credentials.set(link.accessKeyId, link);
  }

  async credential(accessKeyId: string): Promise<CredentialLink | undefined> {
    return this.#credentials.get(accessKeyId);
  }

  async principalName(id: string): Promise<string | undefined> {
    return this.#names.get(id)?.name;
  }
}
