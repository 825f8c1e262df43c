import type { ClientKind } from '../../model/index.ts';
import { classifyClient } from '../client-kind.ts';
import type { JsonObject } from './_values.ts';
import { claim } from './actor.ts';

/*
 * The Activity Log carries no user agent for control-plane calls. The token's `appid` tells
 * which first-party client the person used; these are Microsoft's published ids.
 */
const FIRST_PARTY_APPS: Readonly<Record<string, ClientKind>> = {
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c': 'console', // Azure Portal
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'cli', // Microsoft Azure CLI
  '1950a258-227b-4e31-a9cf-717495945fc2': 'cli', // Microsoft Azure PowerShell
  '0c1307d4-29d6-4389-a11c-5cbe7f65d7fa': 'console', // Azure mobile app
  '872cd9fa-d31f-45e0-9eab-6e460a02d1f1': 'sdk', // Visual Studio
  'aebc6443-996d-45c2-90f0-388ff96faa56': 'sdk', // Visual Studio Code
};

/*
 * A managed identity acts from the resource that owns it: an Automation account or a Logic
 * App runs schedules and runbooks, anything else is a cloud service acting for itself.
 */
function managedIdentityKind(mirid: string): ClientKind {
  const lower = mirid.toLowerCase();
  if (
    lower.includes('/providers/microsoft.automation/') ||
    lower.includes('/providers/microsoft.logic/')
  ) {
    return 'scheduler';
  }
  return classifyClient(undefined, mirid);
}

/**
 * How the call was made: a known first-party app id, a managed identity's resource, else
 * whatever `classifyClient` makes of a user agent (none, in most Activity Log records).
 *
 * @example
 * clientKindOf({ appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' }); // 'cli'
 */
export function clientKindOf(claims: JsonObject | undefined, userAgent?: string): ClientKind {
  const appId = claim(claims, 'appId')?.toLowerCase();
  if (appId !== undefined && Object.hasOwn(FIRST_PARTY_APPS, appId))
    return FIRST_PARTY_APPS[appId]!;
  const mirid = claim(claims, 'managedIdentity');
  if (mirid !== undefined) return managedIdentityKind(mirid);
  return classifyClient(userAgent);
}
