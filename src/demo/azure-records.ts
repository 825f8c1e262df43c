import { isoTicks } from './_calendar.ts';
import type { DemoStop } from './demo-manifest.ts';
import type { Random } from './random.ts';

export const AZURE_TENANT = '3c1d7e5f-9a2b-4c8d-b6e0-f1a2b3c4d5e6';

/** A caller as Azure Resource Manager puts it in `identity.claims`. */
export interface AzureCaller {
  readonly claims: Readonly<Record<string, string>>;
  readonly ip?: string;
  readonly principalType: 'User' | 'ServicePrincipal';
  readonly objectId: string;
  readonly role: string;
  readonly actor: DemoStop['actor'];
}

const CLAIM = {
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  nameId: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  idp: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  authMethods: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  scope: 'http://schemas.microsoft.com/identity/claims/scope',
} as const;

function baseClaims(random: Random): Record<string, string> {
  const iat = String(1_700_000_000 + random.int(0, 9_999_999));
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${AZURE_TENANT}/`,
    iat,
    nbf: iat,
    exp: String(Number(iat) + 4200),
    aio: `${random.upper(40)}=`,
  };
}

export function azureUser(
  random: Random,
  upn: string,
  displayName: string,
  ip: string,
  role: string,
): AzureCaller {
  const objectId = random.uuid();
  return {
    claims: {
      ...baseClaims(random),
      [CLAIM.authMethods]: 'pwd,mfa',
      appid: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      appidacr: '2',
      [CLAIM.idp]: `https://sts.windows.net/${AZURE_TENANT}/`,
      ipaddr: ip,
      name: displayName,
      [CLAIM.objectId]: objectId,
      puid: random.hex(16).toUpperCase(),
      [CLAIM.scope]: 'user_impersonation',
      [CLAIM.nameId]: random.upper(43),
      [CLAIM.tenantId]: AZURE_TENANT,
      [CLAIM.name]: upn,
      [CLAIM.upn]: upn,
      idtyp: 'user',
      uti: random.upper(22),
      ver: '1.0',
    },
    ip,
    principalType: 'User',
    objectId,
    role,
    actor: { type: 'user', id: objectId, name: upn, chain: [] },
  };
}

/** An application (service principal), or a managed identity when `miResource` is given. */
export function azureApp(
  random: Random,
  ip: string | undefined,
  role: string,
  miResource?: string,
): AzureCaller {
  const objectId = random.uuid();
  const appId = random.uuid();
  return {
    claims: {
      ...baseClaims(random),
      appid: appId,
      appidacr: miResource ? '2' : '1',
      [CLAIM.idp]: `https://sts.windows.net/${AZURE_TENANT}/`,
      idtyp: 'app',
      [CLAIM.objectId]: objectId,
      [CLAIM.nameId]: objectId,
      [CLAIM.tenantId]: AZURE_TENANT,
      uti: random.upper(22),
      ver: '1.0',
      ...(miResource ? { xms_mirid: miResource, xms_az_rid: miResource } : {}),
    },
    ip,
    principalType: 'ServicePrincipal',
    objectId,
    role,
    actor: miResource
      ? {
          type: 'managed_identity',
          id: objectId,
          name: miResource.split('/').pop()!,
          chain: [miResource],
        }
      : { type: 'service_principal', id: objectId, name: appId, chain: [] },
  };
}

export type AzurePhase = 'Start' | 'Accept' | 'Success' | 'Failure';

const SIGNATURE: Readonly<Record<AzurePhase, string>> = {
  Start: 'Started.',
  Accept: 'Accepted.Accepted',
  Success: 'Succeeded.OK',
  Failure: 'Failed.Forbidden',
};

export interface AzureOperation {
  readonly time: number;
  readonly caller: AzureCaller;
  readonly subscription: string;
  /** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<vm>`. */
  readonly resourceId: string;
  /** `Microsoft.Compute/virtualMachines/deallocate/action`. */
  readonly operationName: string;
  readonly correlationId: string;
}

/**
 * Written from Microsoft's documented schema ("Azure Activity Log event schema", the
 * storage account and Event Hubs form) and its published `resultType: "Start"` /
 * `"Succeeded.OK"` samples: no openly licensed real deallocate record was found.
 *
 * One record of the Activity Log as a diagnostic setting exports it to storage or Event
 * Hubs: `resourceId` and `operationName` upper-cased, `resultType` Start/Accept/Success/
 * Failure, the caller's token claims under `identity`.
 */
export function azureRecord(
  random: Random,
  op: AzureOperation,
  phase: AzurePhase,
  offsetMs: number,
): Record<string, unknown> {
  const failed = phase === 'Failure';
  const statusCode =
    phase === 'Accept' ? 'Accepted' : phase === 'Success' ? 'OK' : failed ? 'Forbidden' : undefined;
  const evidence = failed
    ? undefined
    : {
        role: op.caller.role,
        roleAssignmentScope: `/subscriptions/${op.subscription}`,
        roleAssignmentId: random.hex(32),
        roleDefinitionId: random.hex(32),
        principalId: op.caller.objectId.replace(/-/g, ''),
        principalType: op.caller.principalType,
      };
  return {
    time: isoTicks(op.time + offsetMs, random),
    resourceId: op.resourceId.toUpperCase(),
    operationName: op.operationName.toUpperCase(),
    category: 'Administrative',
    resultType: phase,
    resultSignature: SIGNATURE[phase],
    durationMs: phase === 'Start' ? 0 : offsetMs,
    ...(op.caller.ip ? { callerIpAddress: op.caller.ip } : {}),
    correlationId: op.correlationId,
    identity: {
      authorization: {
        scope: op.resourceId,
        action: op.operationName,
        ...(evidence ? { evidence } : {}),
      },
      claims: op.caller.claims,
    },
    level: failed ? 'Error' : 'Information',
    location: 'global',
    properties: {
      ...(statusCode ? { statusCode } : {}),
      ...(phase !== 'Start' ? { serviceRequestId: random.uuid() } : {}),
      ...(failed
        ? {
            statusMessage: JSON.stringify({
              error: {
                code: 'AuthorizationFailed',
                message: `The client '${op.caller.actor.name}' with object id '${op.caller.objectId}' does not have authorization to perform action '${op.operationName}' over scope '${op.resourceId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
              },
            }),
          }
        : {}),
      eventCategory: 'Administrative',
      entity: op.resourceId,
      message: op.operationName,
      hierarchy: `${AZURE_TENANT}/${op.subscription}`,
    },
    tenantId: AZURE_TENANT,
  };
}
