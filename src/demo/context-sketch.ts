import { stringify } from 'yaml';
import { AWS_ACCOUNTS, type AwsMonth } from './aws-month.ts';
import { AZURE_SUBSCRIPTION, type AzureMonth } from './azure-month.ts';
import type { GcpMonth } from './gcp-month.ts';

function criticality(name: string): 'high' | 'medium' | 'low' {
  if (/prod-(db|sql)/.test(name)) return 'high';
  return name.includes('prod') ? 'medium' : 'low';
}

/**
 * The context the demo month implies: assets with criticality, the approved automation,
 * the weekend maintenance window and its change ticket. A sketch for the context stage to
 * come; nothing validates it yet.
 */
export function contextSketch(
  aws: AwsMonth,
  gcp: GcpMonth,
  azure: AzureMonth,
  month: string,
): string {
  const maintenanceStops = [...aws.stops, ...gcp.stops, ...azure.stops].filter(
    (s) => s.story === 'approved-maintenance',
  );
  const first = maintenanceStops.map((s) => s.time).sort()[0] ?? `${month}-01T02:00:00.000Z`;
  const windowStart = `${first.slice(0, 10)}T02:00:00Z`;
  const windowEnd = `${first.slice(0, 10)}T04:00:00Z`;
  const doc = {
    assets: [
      ...aws.instances.map((i) => ({
        provider: 'aws',
        account: i.account,
        region: i.region,
        id: i.id,
        name: i.name,
        criticality: criticality(i.name),
      })),
      ...gcp.instances.map((i) => ({
        provider: 'gcp',
        project: i.project,
        zone: i.zone,
        id: i.id,
        name: i.name,
        criticality: criticality(i.name),
      })),
      ...azure.vms.map((v) => ({
        provider: 'azure',
        subscription: AZURE_SUBSCRIPTION,
        resourceGroup: v.resourceGroup,
        id: v.resourceId,
        name: v.name,
        criticality: criticality(v.name),
      })),
    ],
    automation: [
      {
        name: 'aws-instance-scheduler',
        provider: 'aws',
        identity: `arn:aws:iam::${AWS_ACCOUNTS.dev}:role/InstanceScheduler-SchedulerRole-1Q2W3E4R5T6Y`,
        actions: ['instance.stop', 'instance.start'],
        scope: { account: AWS_ACCOUNTS.dev, names: ['dev-build-*'] },
        schedule: { cron: '0 19 * * 1-5', duration: '15m', timeZone: 'UTC' },
      },
      {
        name: 'aws-cost-optimizer',
        provider: 'aws',
        identity: `arn:aws:iam::${AWS_ACCOUNTS.dev}:role/cost-optimizer-bot`,
        actions: ['instance.stop'],
        scope: { account: AWS_ACCOUNTS.dev },
      },
      {
        name: 'gcp-start-stop-scheduler',
        provider: 'gcp',
        identity: `vm-scheduler@${gcp.instances[3]!.project}.iam.gserviceaccount.com`,
        actions: ['instance.stop', 'instance.start'],
        schedule: { cron: '0 20 * * 1-5', duration: '15m', timeZone: 'UTC' },
      },
      {
        name: 'gcp-cost-saver',
        provider: 'gcp',
        identity: `cost-saver@${gcp.instances[3]!.project}.iam.gserviceaccount.com`,
        actions: ['instance.suspend'],
      },
      {
        name: 'azure-automation-startstop',
        provider: 'azure',
        identity: `/subscriptions/${AZURE_SUBSCRIPTION}/resourcegroups/rg-automation/providers/Microsoft.Automation/automationAccounts/aa-startstop`,
        actions: ['instance.deallocate', 'instance.start'],
        scope: { subscription: AZURE_SUBSCRIPTION, resourceGroup: 'rg-dev' },
        schedule: { cron: '30 19 * * 1-5', duration: '15m', timeZone: 'UTC' },
      },
    ],
    maintenanceWindows: [
      {
        name: 'weekend-patching',
        cron: '0 2 * * 6',
        duration: '2h',
        timeZone: 'UTC',
        scope: 'prod',
      },
    ],
    changes: [
      {
        ticket: 'CHG-1042',
        title: 'Monthly OS patching, production web and API tiers',
        window: { start: windowStart, end: windowEnd },
        expectedActor: 'maria.garcia@example.com',
        targets: maintenanceStops.map((s) => ({
          provider: s.cloud,
          id: s.instance,
          name: s.instanceName,
        })),
      },
    ],
    incidents: [
      {
        ticket: 'IR-2217',
        title: 'ml-notebook-02 beaconing to an unknown host',
        actor: 'tkowalski',
      },
    ],
  };
  return `# Context the haltwatch demo month implies (a sketch: not validated yet).\n${stringify(doc, { lineWidth: 0 })}`;
}
