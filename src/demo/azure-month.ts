import { DAY, HOUR, MINUTE, isWeekend, type Month } from './_calendar.ts';
import {
  azureApp,
  azureRecord,
  azureUser,
  type AzureCaller,
  type AzurePhase,
} from './azure-records.ts';
import type { DemoStop, StoryLabel } from './demo-manifest.ts';
import type { Random } from './random.ts';

export const AZURE_SUBSCRIPTION = '6d3f8a2e-4b1c-4e9a-9f7d-2c5b8e1a0f34';

export interface AzureVm {
  readonly name: string;
  readonly resourceGroup: string;
  readonly resourceId: string;
}

export interface AzurePlaced {
  readonly time: number;
  /** The resource the record is about, which decides its folder in the export. */
  readonly resourceId: string;
  readonly record: Record<string, unknown>;
}

export interface AzureMonth {
  readonly vms: readonly AzureVm[];
  readonly records: AzurePlaced[];
  readonly stops: DemoStop[];
}

function vm(resourceGroup: string, name: string): AzureVm {
  return {
    name,
    resourceGroup,
    resourceId: `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachines/${name}`,
  };
}

class AzureWriter {
  readonly records: AzurePlaced[] = [];
  readonly stops: DemoStop[] = [];
  #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  /** The records of one operation under one `correlationId`, a few seconds apart. */
  operation(
    time: number,
    caller: AzureCaller,
    resourceId: string,
    operationName: string,
    phases: readonly AzurePhase[],
  ): string {
    const correlationId = this.#random.uuid();
    const op = {
      time,
      caller,
      subscription: AZURE_SUBSCRIPTION,
      resourceId,
      operationName,
      correlationId,
    };
    let offset = 0;
    for (const phase of phases) {
      this.records.push({
        time: time + offset,
        resourceId,
        record: azureRecord(this.#random, op, phase, offset),
      });
      offset += phase === 'Start' ? this.#random.int(150, 900) : this.#random.int(20_000, 95_000);
    }
    return correlationId;
  }

  stop(
    time: number,
    caller: AzureCaller,
    target: AzureVm,
    story: StoryLabel,
    options: {
      suspicious?: boolean;
      verb?: 'deallocate' | 'powerOff';
      phases?: readonly AzurePhase[];
    } = {},
  ): void {
    const verb = options.verb ?? 'deallocate';
    const phases = options.phases ?? ['Start', 'Accept', 'Success'];
    const correlationId = this.operation(
      time,
      caller,
      target.resourceId,
      `Microsoft.Compute/virtualMachines/${verb}/action`,
      phases,
    );
    const last = phases[phases.length - 1];
    this.stops.push({
      cloud: 'azure',
      story,
      suspicious: options.suspicious ?? false,
      action: verb === 'deallocate' ? 'instance.deallocate' : 'instance.power_off',
      instance: target.resourceId.toUpperCase(),
      instanceName: target.name,
      scope: AZURE_SUBSCRIPTION,
      location: target.resourceGroup,
      time: new Date(time).toISOString(),
      actor: caller.actor,
      ...(caller.ip ? { sourceIp: caller.ip } : {}),
      outcome: last === 'Success' ? 'success' : last === 'Failure' ? 'failure' : 'accepted',
      ...(last === 'Failure' ? { errorCode: 'AuthorizationFailed' } : {}),
      operationId: correlationId,
    });
  }
}

/** A month of one subscription's Activity Log, exported by a diagnostic setting. */
export function azureMonth(random: Random, month: Month, scale: number): AzureMonth {
  const vms = [
    vm('rg-prod-data', 'vm-prod-sql-01'),
    vm('rg-prod-app', 'vm-prod-app-01'),
    vm('rg-prod-app', 'vm-prod-app-02'),
    vm('rg-dev', 'vm-dev-build-01'),
    vm('rg-dev', 'vm-dev-build-02'),
    vm('rg-dev', 'vm-dev-build-03'),
  ];
  const byName = (name: string): AzureVm => vms.find((v) => v.name === name)!;
  const r = random.fork('callers');
  const automationAccount = `/subscriptions/${AZURE_SUBSCRIPTION}/resourcegroups/rg-automation/providers/Microsoft.Automation/automationAccounts/aa-startstop`;
  const automation = azureApp(r, '20.50.2.19', 'Virtual Machine Contributor', automationAccount);
  const maintainer = azureUser(
    r,
    'maria.garcia@example.com',
    'Maria Garcia',
    '192.0.2.24',
    'Owner',
  );
  const devLead = azureUser(
    r,
    'dev.lead@example.com',
    'Dev Lead',
    '192.0.2.45',
    'Virtual Machine Contributor',
  );
  const auditor = azureUser(
    r,
    'guest.auditor@example.com',
    'Guest Auditor',
    '192.0.2.61',
    'Reader',
  );
  const unknownApp = azureApp(r, '198.51.100.77', 'Contributor');
  const pipeline = azureApp(r, '192.0.2.200', 'Contributor');

  const out = new AzureWriter(random.fork('records'));
  const noise = random.fork('noise');
  const storage = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-prod-data/providers/Microsoft.Storage/storageAccounts/stacmeprodlogs`;
  const nsg = `/subscriptions/${AZURE_SUBSCRIPTION}/resourceGroups/rg-prod-app/providers/Microsoft.Network/networkSecurityGroups/nsg-prod-app`;
  const count = Math.max(1, Math.round(12 * scale)) * month.days;
  for (let n = 0; n < count; n++) {
    const time =
      month.start +
      noise.int(0, month.days - 1) * DAY +
      (noise.chance(0.75) ? noise.int(8, 17) : noise.int(0, 23)) * HOUR +
      noise.int(0, HOUR - 1);
    const caller = noise.pick([maintainer, devLead, pipeline, pipeline]);
    const target = noise.pick(vms);
    const roll = noise.next();
    if (roll < 0.3)
      out.operation(time, pipeline, storage, 'Microsoft.Storage/storageAccounts/listKeys/action', [
        'Success',
      ]);
    else if (roll < 0.55)
      out.operation(time, caller, target.resourceId, 'Microsoft.Compute/virtualMachines/write', [
        'Start',
        'Success',
      ]);
    else if (roll < 0.75)
      out.operation(
        time,
        caller,
        `${target.resourceId}/extensions/AzureMonitorLinuxAgent`,
        'Microsoft.Compute/virtualMachines/extensions/write',
        ['Start', 'Accept', 'Success'],
      );
    else if (roll < 0.85)
      out.operation(
        time,
        caller,
        target.resourceId,
        'Microsoft.Compute/virtualMachines/restart/action',
        ['Start', 'Accept', 'Success'],
      );
    else
      out.operation(time, pipeline, nsg, 'Microsoft.Network/networkSecurityGroups/write', [
        'Start',
        'Success',
      ]);
  }

  const s = random.fork('stories');
  const day = (d: number): number => month.start + (d - 1) * DAY;
  const saturdays = Array.from({ length: month.days }, (_, i) => day(i + 1)).filter(
    (t) => new Date(t).getUTCDay() === 6,
  );
  const build1 = byName('vm-dev-build-01');
  for (let d = 1; d <= month.days; d++) {
    if (isWeekend(day(d))) continue;
    out.stop(
      day(d) + 19 * HOUR + 30 * MINUTE + s.int(1, 50) * 1000,
      automation,
      build1,
      'nightly-scheduler',
    );
    if (d < month.days)
      out.operation(
        day(d + 1) + 6 * HOUR + 30 * MINUTE + s.int(1, 50) * 1000,
        automation,
        build1.resourceId,
        'Microsoft.Compute/virtualMachines/start/action',
        ['Start', 'Accept', 'Success'],
      );
  }
  const window = saturdays[0]! + 2 * HOUR + 40 * MINUTE;
  const app2 = byName('vm-prod-app-02');
  out.stop(window, maintainer, app2, 'approved-maintenance');
  out.operation(
    window + 20 * MINUTE,
    maintainer,
    app2.resourceId,
    'Microsoft.Compute/virtualMachines/start/action',
    ['Start', 'Accept', 'Success'],
  );
  out.stop(
    day(8) + 17 * HOUR + 45 * MINUTE + 12_000,
    devLead,
    byName('vm-dev-build-02'),
    'manual-power-off',
    { verb: 'powerOff' },
  );
  out.stop(
    day(10) + 11 * HOUR + 4 * MINUTE + 30_000,
    auditor,
    byName('vm-prod-sql-01'),
    'suspicious-denied',
    { suspicious: true, phases: ['Failure'] },
  );
  out.stop(
    day(23) + 2 * HOUR + 51 * MINUTE + 8000,
    unknownApp,
    byName('vm-prod-sql-01'),
    'suspicious-unknown-principal',
    { suspicious: true },
  );
  // The month ends before the platform reports how this one went: accepted, not failed.
  out.stop(
    day(month.days) + 23 * HOUR + 57 * MINUTE + 30_000,
    devLead,
    byName('vm-dev-build-03'),
    'in-flight-at-month-end',
    { phases: ['Start', 'Accept'] },
  );

  // Phases that finish after the month's last hour are not exported with it.
  const end = month.start + month.days * DAY;
  const records = out.records.filter((p) => p.time < end).sort((a, b) => a.time - b.time);
  return { vms, records, stops: out.stops };
}
