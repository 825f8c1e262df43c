import { UsageError } from '../errors.ts';
import { awsCloudTrail } from './aws-cloudtrail/index.ts';
import { azureActivity } from './azure-activity/index.ts';
import { gcpAudit } from './gcp-audit/index.ts';
import type { Provider } from './provider.ts';

/** Every provider, by component name. Explicit: no discovery by scanning modules. */
export const providers = {
  'aws-cloudtrail': awsCloudTrail,
  'gcp-audit': gcpAudit,
  'azure-activity': azureActivity,
} satisfies Record<string, Provider>;

export type ProviderName = keyof typeof providers;

export function getProvider(name: string): Provider {
  const provider = (providers as Record<string, Provider>)[name];
  if (!provider) {
    throw new UsageError(
      `Unknown provider "${name}": use one of ${Object.keys(providers).join(', ')}`,
    );
  }
  return provider;
}
