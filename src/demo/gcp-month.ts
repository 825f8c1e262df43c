import { DAY, HOUR, MINUTE, isWeekend, type Month } from './_calendar.ts';
import type { DemoStop, StoryLabel } from './demo-manifest.ts';
import {
  gcpEntry,
  gcpOperationId,
  type GcpCall,
  type GcpCaller,
  type GcpInstance,
  type GcpLog,
} from './gcp-entries.ts';
import type { Random } from './random.ts';

export const GCP_PROJECTS = { prod: 'acme-prod-3f9a', data: 'acme-data-71c2' } as const;

export interface GcpPlaced {
  readonly log: GcpLog;
  readonly time: number;
  readonly entry: Record<string, unknown>;
}

export interface GcpMonth {
  readonly instances: readonly GcpInstance[];
  readonly entries: GcpPlaced[];
  readonly stops: DemoStop[];
}

const GCLOUD_UA = (command: string): string =>
  `google-cloud-sdk gcloud/456.0.0 command/gcloud.compute.instances.${command} invocation-id/${'0'.repeat(32)} environment/None environment-version/None client-os/LINUX client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/True from-script/False python/3.11.6 term/xterm-256color (Linux 6.5.0),gzip(gfe)`;
const CONSOLE_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36,gzip(gfe)';
const SCHEDULER_UA = 'google-api-nodejs-client/9.15.1 (gzip) start-stop-scheduler/1.4.0,gzip(gfe)';
const TERRAFORM_UA =
  'Terraform/1.9.5 (+https://www.terraform.io) Terraform-Plugin-SDK/2.33.0 terraform-provider-google/5.44.0,gzip(gfe)';

function user(email: string, ip: string, userAgent: string): GcpCaller {
  return { email, ip, userAgent, actor: { type: 'user', id: email, name: email, chain: [] } };
}

function serviceAccount(
  email: string,
  ip: string,
  userAgent: string,
  delegatedBy?: string[],
): GcpCaller {
  return {
    email,
    ip,
    userAgent,
    delegatedBy,
    actor: { type: 'service_account', id: email, name: email, chain: delegatedBy ?? [] },
  };
}

class GcpWriter {
  readonly entries: GcpPlaced[] = [];
  readonly stops: DemoStop[] = [];
  #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  write(call: GcpCall): void {
    this.entries.push({ log: call.log, time: call.time, entry: gcpEntry(this.#random, call) });
  }

  /** A long-running operation: `first` at the request, `last` when Compute finishes it. */
  operation(time: number, caller: GcpCaller, instance: GcpInstance, method: string): string {
    const id = gcpOperationId(this.#random, time);
    const base = {
      log: 'activity' as const,
      caller,
      methodName: `v1.compute.instances.${method}`,
      permission: `compute.instances.${method}`,
      instance,
    };
    this.write({ ...base, time, operation: { id, phase: 'first' } });
    this.write({
      ...base,
      time: time + this.#random.int(15, 70) * 1000,
      operation: { id, phase: 'last' },
    });
    return id;
  }

  stop(
    time: number,
    caller: GcpCaller,
    instance: GcpInstance,
    story: StoryLabel,
    options: { suspicious?: boolean; method?: 'stop' | 'suspend'; denied?: boolean } = {},
  ): void {
    const method = options.method ?? 'stop';
    let operationId: string;
    if (options.denied) {
      operationId = `denied-${this.#random.hex(12)}`;
      this.write({
        log: 'activity',
        time,
        caller,
        methodName: `v1.compute.instances.${method}`,
        permission: `compute.instances.${method}`,
        instance,
        denied: true,
      });
    } else {
      operationId = this.operation(time, caller, instance, method);
    }
    this.stops.push(
      truth(instance, time, caller.actor, caller.ip, story, {
        suspicious: options.suspicious ?? false,
        action: method === 'suspend' ? 'instance.suspend' : 'instance.stop',
        outcome: options.denied ? 'failure' : 'success',
        errorCode: options.denied ? 'PERMISSION_DENIED' : undefined,
        operationId,
      }),
    );
  }
}

function truth(
  instance: GcpInstance,
  time: number,
  actor: DemoStop['actor'],
  sourceIp: string | undefined,
  story: StoryLabel,
  rest: Pick<DemoStop, 'suspicious' | 'action' | 'outcome' | 'errorCode' | 'operationId'>,
): DemoStop {
  return {
    cloud: 'gcp',
    story,
    suspicious: rest.suspicious,
    action: rest.action,
    instance: instance.id,
    instanceName: instance.name,
    scope: instance.project,
    location: instance.zone,
    time: new Date(time).toISOString(),
    actor,
    ...(sourceIp ? { sourceIp } : {}),
    outcome: rest.outcome,
    ...(rest.errorCode ? { errorCode: rest.errorCode } : {}),
    operationId: rest.operationId,
  };
}

/** A month of Cloud Audit Logs from an aggregated sink over two projects. */
export function gcpMonth(random: Random, month: Month, scale: number): GcpMonth {
  const r = random.fork('fleet');
  const vm = (project: string, zone: string, name: string): GcpInstance => ({
    id: r.digits(19),
    name,
    project,
    zone,
  });
  const { prod, data } = GCP_PROJECTS;
  const instances = [
    vm(prod, 'europe-west1-b', 'prod-db-0'),
    vm(prod, 'europe-west1-b', 'prod-api-1'),
    vm(prod, 'europe-west1-c', 'prod-api-2'),
    vm(data, 'us-central1-a', 'etl-worker-1'),
    vm(data, 'us-central1-a', 'notebook-gpu-1'),
    vm(data, 'us-central1-f', 'batch-spot-3'),
  ];
  const byName = (name: string): GcpInstance => instances.find((i) => i.name === name)!;
  const maintainer = user('maria.garcia@example.com', '192.0.2.24', CONSOLE_UA);
  const scheduler = serviceAccount(
    `vm-scheduler@${data}.iam.gserviceaccount.com`,
    '34.98.112.7',
    SCHEDULER_UA,
  );
  const costSaver = serviceAccount(
    `cost-saver@${data}.iam.gserviceaccount.com`,
    '34.98.112.9',
    'google-api-python-client/2.108.0 (gzip),gzip(gfe)',
  );
  const contractor = user('j.doe.contractor@gmail.com', '198.51.100.23', GCLOUD_UA('stop'));
  const impersonated = serviceAccount(
    `ops-automation@${prod}.iam.gserviceaccount.com`,
    '198.51.100.23',
    GCLOUD_UA('stop'),
    [contractor.email],
  );
  const noiseCallers = [
    maintainer,
    user('alex.chen@example.com', '192.0.2.40', GCLOUD_UA('list')),
    serviceAccount(`terraform@${prod}.iam.gserviceaccount.com`, '192.0.2.200', TERRAFORM_UA),
    scheduler,
  ];

  const out = new GcpWriter(random.fork('entries'));
  const noise = random.fork('noise');
  const count = Math.max(1, Math.round(60 * scale)) * month.days;
  for (let n = 0; n < count; n++) {
    const time =
      month.start +
      noise.int(0, month.days - 1) * DAY +
      (noise.chance(0.7) ? noise.int(8, 17) : noise.int(0, 23)) * HOUR +
      noise.int(0, HOUR - 1);
    const caller = noise.pick(noiseCallers);
    const instance = noise.pick(instances);
    const roll = noise.next();
    if (roll < 0.55) {
      const list = noise.chance(0.6);
      out.write({
        log: 'data_access',
        time,
        caller,
        methodName: list ? 'v1.compute.instances.list' : 'v1.compute.instances.get',
        permission: list ? 'compute.instances.list' : 'compute.instances.get',
        instance,
        ...(list
          ? { resourceName: `projects/${instance.project}/zones/${instance.zone}/instances` }
          : {}),
      });
    } else {
      out.operation(time, caller, instance, roll < 0.8 ? 'setLabels' : 'setMetadata');
    }
  }

  const s = random.fork('stories');
  const day = (d: number): number => month.start + (d - 1) * DAY;
  const saturdays = Array.from({ length: month.days }, (_, i) => day(i + 1)).filter(
    (t) => new Date(t).getUTCDay() === 6,
  );
  for (let d = 1; d <= month.days; d++) {
    if (isWeekend(day(d))) continue;
    out.stop(
      day(d) + 20 * HOUR + s.int(1, 30) * 1000,
      scheduler,
      byName('etl-worker-1'),
      'nightly-scheduler',
    );
    if (d < month.days)
      out.operation(
        day(d + 1) + 6 * HOUR + s.int(1, 30) * 1000,
        scheduler,
        byName('etl-worker-1'),
        'start',
      );
  }
  for (const d of [6, 20])
    out.stop(
      day(d) + 21 * HOUR + s.int(0, 59) * MINUTE,
      costSaver,
      byName('notebook-gpu-1'),
      'cost-bot',
      { method: 'suspend' },
    );
  const window = saturdays[0]! + 3 * HOUR + 5 * MINUTE;
  out.stop(window, maintainer, byName('prod-api-1'), 'approved-maintenance');
  out.operation(window + 14 * MINUTE, maintainer, byName('prod-api-1'), 'start');
  // Spot capacity reclaimed: a stop no API caller asked for (system_event log).
  const preempted = day(14) + 10 * HOUR + 31 * MINUTE + 9000;
  const spot = byName('batch-spot-3');
  const google = {
    email: 'system@google.com',
    actor: {
      type: 'provider_system' as const,
      id: 'system@google.com',
      name: 'system@google.com',
      chain: [],
    },
  };
  const systemId = `systemevent-${preempted}-${s.hex(13)}-${s.hex(8)}-${s.hex(8)}`;
  out.write({
    log: 'system_event',
    time: preempted,
    caller: google,
    methodName: 'compute.instances.preempted',
    permission: '',
    instance: spot,
    operation: { id: systemId, phase: 'both', producer: 'compute.instances.preempted' },
  });
  out.stops.push(
    truth(spot, preempted, google.actor, undefined, 'preemption', {
      suspicious: false,
      action: 'instance.stop',
      outcome: 'success',
      operationId: systemId,
    }),
  );
  // Suspicious: a contractor is refused, then stops the database through a service account.
  const db = byName('prod-db-0');
  out.stop(day(19) + 1 * HOUR + 9 * MINUTE + 41_000, contractor, db, 'suspicious-denied', {
    suspicious: true,
    denied: true,
  });
  out.stop(day(19) + 1 * HOUR + 12 * MINUTE + 3000, impersonated, db, 'suspicious-impersonation', {
    suspicious: true,
  });

  out.entries.sort((a, b) => a.time - b.time);
  return { instances, entries: out.entries, stops: out.stops };
}
