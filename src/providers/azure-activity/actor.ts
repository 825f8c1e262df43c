import type { Actor, ChainHop, Session } from '../../model/index.ts';
import { toEpochMs } from '../../model/index.ts';
import { isGuid, text, type JsonObject } from './_values.ts';
import { EvidenceSchema } from './raw-schema.ts';

/** Claim names as Azure writes them: the long WS-Federation URIs and the short JWT ones. */
export const CLAIM = {
  upn: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'upn', 'unique_name'],
  email: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'email'],
  uriName: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'],
  name: ['name'],
  objectId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  tenantId: ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'],
  appId: ['appid', 'azp'],
  idtyp: ['idtyp'],
  managedIdentity: ['xms_mirid'],
  methods: ['http://schemas.microsoft.com/claims/authnmethodsreferences', 'amr'],
  issuedAt: ['iat'],
} as const satisfies Record<string, readonly string[]>;
export type ClaimName = keyof typeof CLAIM;

export function claim(claims: JsonObject | undefined, name: ClaimName): string | undefined {
  if (!claims) return undefined;
  for (const key of CLAIM[name]) {
    const value = Object.hasOwn(claims, key) ? text(claims[key]) : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}

/** What `actorOf` reads; every part may be missing. */
export interface ActorInput {
  readonly caller?: string;
  readonly claims?: JsonObject;
  readonly authorization?: JsonObject;
}

function lastSegment(resourceId: string): string {
  const parts = resourceId.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? resourceId;
}

function sessionOf(claims: JsonObject | undefined): Session | undefined {
  const methods = claim(claims, 'methods');
  const issued = claim(claims, 'issuedAt');
  const createdAt =
    issued !== undefined && /^\d{9,11}$/.test(issued)
      ? toEpochMs(Number(issued) * 1000)
      : undefined;
  if (methods === undefined && createdAt === undefined) return undefined;
  return {
    ...(methods !== undefined ? { mfa: /\bmfa\b/i.test(methods) } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
  };
}

/**
 * Who acted, from the claims of the caller's token, the `caller` field and RBAC's
 * `authorization.evidence`. A managed identity is named by its `xms_mirid` resource; a
 * service principal links to its application id; a record with no caller, no claims and no
 * evidence is an explicit `unknown` with a `gap`, never an empty name.
 *
 * @example
 * actorOf({ caller: 'alice@contoso.com' }); // { type: 'user', name: 'alice@contoso.com', ... }
 */
export function actorOf(input: ActorInput): Actor {
  const { caller, claims } = input;
  const parsedEvidence = EvidenceSchema.safeParse(input.authorization?.['evidence']);
  const evidence = parsedEvidence.success ? parsedEvidence.data : undefined;
  const principalType = evidence?.principalType?.toLowerCase();
  const principalId = text(evidence?.principalId);
  const objectId = claim(claims, 'objectId');
  const appId = claim(claims, 'appId');
  const idtyp = claim(claims, 'idtyp')?.toLowerCase();
  const mirid = claim(claims, 'managedIdentity');
  const upn = claim(claims, 'upn') ?? claim(claims, 'email');
  const displayName = claim(claims, 'name');
  const account = claim(claims, 'tenantId');
  const session = sessionOf(claims);
  const base = {
    ...(account !== undefined ? { account } : {}),
    ...(session !== undefined ? { session } : {}),
  };
  const stableId = objectId ?? principalId;
  const callerIsEmail = caller !== undefined && caller.includes('@');
  const callerIsGuid = caller !== undefined && isGuid(caller);

  if (mirid !== undefined) {
    const hop: ChainHop = {
      type: 'managed_identity',
      id: mirid,
      name: lastSegment(mirid),
      via: 'managed_identity',
    };
    return {
      ...base,
      type: 'managed_identity',
      id: stableId ?? caller ?? mirid,
      name: lastSegment(mirid),
      chain: [hop],
    };
  }
  const isUser =
    principalType === 'user' ||
    idtyp === 'user' ||
    (upn !== undefined && idtyp !== 'app') ||
    callerIsEmail;
  if (isUser) {
    const name =
      upn ??
      (callerIsEmail ? caller : undefined) ??
      claim(claims, 'uriName') ??
      displayName ??
      caller;
    return {
      ...base,
      type: 'user',
      id: stableId ?? name,
      ...(name !== undefined ? { name } : {}),
      chain: [],
    };
  }
  if (
    principalType === 'serviceprincipal' ||
    idtyp === 'app' ||
    callerIsGuid ||
    appId !== undefined
  ) {
    const chain: ChainHop[] =
      appId !== undefined ? [{ type: 'service_principal', id: appId, via: 'application' }] : [];
    const id = stableId ?? caller ?? appId;
    const name = displayName ?? appId ?? caller;
    return {
      ...base,
      type: 'service_principal',
      ...(id !== undefined ? { id } : {}),
      ...(name !== undefined ? { name } : {}),
      chain,
    };
  }
  if (caller !== undefined) {
    // Azure services write their own name as the caller ("Microsoft.Compute", "Azure Policy").
    return { ...base, type: 'service', id: caller, name: caller, chain: [] };
  }
  if (stableId !== undefined) {
    return {
      ...base,
      type: 'unknown',
      id: stableId,
      chain: [],
      gap: `the record names principal "${stableId}" but not what kind of principal it is`,
    };
  }
  return {
    type: 'unknown',
    chain: [],
    gap: 'the record has no caller, no claims and no authorization evidence',
  };
}
