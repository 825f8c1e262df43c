import { DAY, HOUR, MINUTE, isWeekend, type Month } from './_calendar.ts';
import { iamUser, roleSession, type AwsCaller } from './aws-identity.ts';
import { awsNoiseCall } from './aws-noise.ts';
import {
  assumeRole,
  cloudTrailRecord,
  modifyUserData,
  startInstances,
  stopInstances,
  terminateInstances,
  type AwsCall,
} from './aws-records.ts';
import type { DemoStop, StoryLabel } from './demo-manifest.ts';
import type { Random } from './random.ts';

export const AWS_ACCOUNTS = { prod: '402917355581', dev: '718605322940' } as const;
export const AWS_REGIONS = ['eu-west-1', 'us-east-1'] as const;

export interface AwsInstance {
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/** One record placed in its account and region's trail. */
export interface AwsPlaced {
  readonly account: string;
  readonly region: string;
  readonly time: number;
  readonly record: Record<string, unknown>;
}

export interface AwsMonth {
  readonly instances: readonly AwsInstance[];
  readonly records: AwsPlaced[];
  readonly stops: DemoStop[];
}

const BOTO =
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython';
const LAMBDA_UA = `${BOTO} exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69`;
const CLI_UA =
  'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1016-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off';
const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.0';
const MONITOR_UA = 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)';
const CONSOLE_UA = 'AWS Internal';

function fleet(random: Random): AwsInstance[] {
  const make = (account: string, region: string, prefix: string, count: number): AwsInstance[] =>
    Array.from({ length: count }, (_, i) => ({
      id: `i-0${random.hex(16)}`,
      name: `${prefix}-${String(i + 1).padStart(2, '0')}`,
      account,
      region,
    }));
  return [
    ...make(AWS_ACCOUNTS.prod, 'eu-west-1', 'prod-db', 2),
    ...make(AWS_ACCOUNTS.prod, 'eu-west-1', 'prod-web', 4),
    ...make(AWS_ACCOUNTS.prod, 'us-east-1', 'prod-api', 24),
    ...make(AWS_ACCOUNTS.dev, 'eu-west-1', 'dev-build', 6),
    ...make(AWS_ACCOUNTS.dev, 'us-east-1', 'dev-sandbox', 5),
    ...make(AWS_ACCOUNTS.dev, 'us-east-1', 'ml-notebook', 3),
  ];
}

/** A time in a business-heavy day: most calls land between 08:00 and 18:00 UTC. */
function noiseTime(random: Random, month: Month): number {
  const day = month.start + random.int(0, month.days - 1) * DAY;
  const hour = random.chance(0.7) ? random.int(8, 17) : random.int(0, 23);
  return day + hour * HOUR + random.int(0, HOUR - 1);
}

class AwsWriter {
  readonly records: AwsPlaced[] = [];
  readonly stops: DemoStop[] = [];
  #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  call(
    time: number,
    account: string,
    region: string,
    caller: AwsCaller,
    call: AwsCall,
    requestId?: string,
  ): void {
    const record = cloudTrailRecord(this.#random, time, account, region, caller, call, requestId);
    this.records.push({ account, region: String(record['awsRegion']), time, record });
  }

  /** A `StopInstances` call and its ground truth: one stop per instance. */
  stop(
    time: number,
    caller: AwsCaller,
    instances: readonly AwsInstance[],
    story: StoryLabel,
    options: { suspicious?: boolean; force?: boolean; denied?: boolean; origin?: string } = {},
  ): void {
    const { account, region } = instances[0]!;
    const requestId = this.#random.uuid();
    const ids = instances.map((i) => i.id);
    const denied = options.denied
      ? { arn: caller.actor.id!, region, account, random: this.#random }
      : undefined;
    this.call(
      time,
      account,
      region,
      caller,
      stopInstances(requestId, ids, { force: options.force, deniedFor: denied }),
      requestId,
    );
    for (const instance of instances) {
      this.stops.push({
        cloud: 'aws',
        story,
        suspicious: options.suspicious ?? false,
        action: 'instance.stop',
        instance: instance.id,
        instanceName: instance.name,
        scope: account,
        location: region,
        time: new Date(Math.floor(time / 1000) * 1000).toISOString(),
        actor: caller.actor,
        sourceIp: caller.sourceIp,
        outcome: denied ? 'failure' : 'success',
        ...(denied ? { errorCode: 'Client.UnauthorizedOperation' } : {}),
        operationId: requestId,
        ...(options.origin ? { origin: options.origin } : {}),
      });
    }
  }
}

/**
 * A month of CloudTrail for two accounts in two regions: everyday noise plus the stop
 * stories (scheduler, maintenance, incident response, cost bot and the suspicious ones).
 */
/** The IAM user who opens the mass stop's role session (`OrganizationAccountAccessRole/ops-7731`). */
const SESSION_OPENER = 'k.novak';

export function awsMonth(random: Random, month: Month, scale: number): AwsMonth {
  const instances = fleet(random.fork('fleet'));
  const r = random.fork('callers');
  const { prod, dev } = AWS_ACCOUNTS;
  const byName = (name: string): AwsInstance => instances.find((i) => i.name === name)!;
  const named = (prefix: string): AwsInstance[] =>
    instances.filter((i) => i.name.startsWith(prefix));
  const office = (n: number): string => `192.0.2.${n}`;
  const lambdaIp = (): string => `54.${r.int(150, 220)}.${r.int(0, 255)}.${r.int(1, 254)}`;

  const scheduler = roleSession(
    r,
    dev,
    'InstanceScheduler-SchedulerRole-1Q2W3E4R5T6Y',
    'InstanceScheduler-InstanceSchedulerMain',
    {
      ip: lambdaIp(),
      userAgent: `${LAMBDA_UA} AwsSolution/SO0030/v1.5.3`,
    },
  );
  const costBot = roleSession(r, dev, 'cost-optimizer-bot', 'cost-optimizer-lambda', {
    ip: lambdaIp(),
    userAgent: LAMBDA_UA,
  });
  const sso = `AWSReservedSSO_PlatformAdmin_5e2c4b1a9d8f7e6c`;
  const maintainer = roleSession(r, prod, sso, 'maria.garcia@example.com', {
    ip: office(24),
    userAgent: CONSOLE_UA,
    mfa: true,
    console: true,
  });
  const responder = roleSession(r, dev, 'IncidentResponse', 'ir-tkowalski', {
    ip: office(31),
    userAgent: `${CLI_UA} md/command#ec2.stop-instances`,
    sourceIdentity: 'tkowalski',
  });
  const legacy = iamUser(r, prod, 'svc-backup-legacy', {
    ip: '198.51.100.47',
    userAgent: `${CLI_UA} md/command#ec2.stop-instances`,
  });
  const deployBot = iamUser(r, prod, 'deploy-bot', {
    ip: '198.51.100.90',
    userAgent: `${BOTO} cfg/retry-mode#legacy Botocore/1.34.69`,
  });
  const orgAccess = roleSession(r, prod, 'OrganizationAccountAccessRole', 'ops-7731', {
    ip: '198.51.100.12',
    userAgent: `${CLI_UA} md/command#ec2.stop-instances`,
  });
  const intern = iamUser(r, prod, 'intern-readonly', {
    ip: office(57),
    userAgent: `${CLI_UA} md/command#ec2.stop-instances`,
  });
  const autoscaling = roleSession(r, prod, 'AWSServiceRoleForAutoScaling', 'AutoScaling', {
    ip: 'autoscaling.amazonaws.com',
    userAgent: 'autoscaling.amazonaws.com',
    invokedBy: 'autoscaling.amazonaws.com',
  });
  const noiseCallers: Record<string, AwsCaller[]> = {
    [prod]: [
      roleSession(r, prod, 'terraform-ci', 'gitlab-runner-8812', {
        ip: '192.0.2.200',
        userAgent: TERRAFORM_UA,
      }),
      roleSession(r, prod, 'DatadogIntegrationRole', 'datadog-aws-integration', {
        ip: '3.233.144.17',
        userAgent: MONITOR_UA,
      }),
      maintainer,
      roleSession(r, prod, 'backup-lambda-role', 'nightly-snapshots', {
        ip: lambdaIp(),
        userAgent: LAMBDA_UA,
      }),
    ],
    [dev]: [
      roleSession(r, dev, 'terraform-ci', 'gitlab-runner-4410', {
        ip: '192.0.2.201',
        userAgent: TERRAFORM_UA,
      }),
      roleSession(r, dev, 'DatadogIntegrationRole', 'datadog-aws-integration', {
        ip: '3.233.144.18',
        userAgent: MONITOR_UA,
      }),
      iamUser(r, dev, 'alex.chen', { ip: office(40), userAgent: CLI_UA }),
      scheduler,
    ],
  };
  const roleNames = [
    'terraform-ci',
    'DatadogIntegrationRole',
    'backup-lambda-role',
    'InstanceScheduler-SchedulerRole-1Q2W3E4R5T6Y',
  ];

  const out = new AwsWriter(random.fork('records'));
  const noise = random.fork('noise');
  const perDay = Math.max(1, Math.round(50 * scale));
  for (const account of [prod, dev]) {
    for (const region of AWS_REGIONS) {
      const ctx = {
        account,
        region,
        roleNames,
        instanceIds: instances.filter((i) => i.account === account).map((i) => i.id),
      };
      for (let n = 0; n < perDay * month.days; n++) {
        out.call(
          noiseTime(noise, month),
          account,
          region,
          noise.pick(noiseCallers[account]!),
          awsNoiseCall(noise, ctx),
        );
      }
    }
  }

  const s = random.fork('stories');
  const day = (d: number): number => month.start + (d - 1) * DAY;
  const saturdays = Array.from({ length: month.days }, (_, i) => day(i + 1)).filter(
    (t) => new Date(t).getUTCDay() === 6,
  );
  // Nightly scheduler: office-hours dev builders off at 19:00, on again at 07:00 on weekdays.
  const builders = named('dev-build').slice(0, 2);
  for (let d = 1; d <= month.days; d++) {
    if (isWeekend(day(d))) continue;
    out.stop(day(d) + 19 * HOUR + s.int(2, 40) * 1000, scheduler, builders, 'nightly-scheduler');
    if (d < month.days) {
      const startRequest = s.uuid();
      out.call(
        day(d + 1) + 7 * HOUR + s.int(2, 40) * 1000,
        dev,
        'eu-west-1',
        scheduler,
        startInstances(
          startRequest,
          builders.map((b) => b.id),
        ),
        startRequest,
      );
    }
  }
  // Cost bot: idle sandboxes, a few times a month.
  for (const [d, name] of [
    [4, 'dev-sandbox-02'],
    [11, 'dev-sandbox-05'],
    [18, 'dev-sandbox-02'],
    [25, 'ml-notebook-03'],
  ] as const) {
    out.stop(day(d) + 22 * HOUR + s.int(0, 59) * MINUTE, costBot, [byName(name)], 'cost-bot');
  }
  // Approved maintenance: web tier patched one node at a time in the first Saturday window.
  const window = saturdays[0]! + 2 * HOUR;
  named('prod-web').forEach((web, i) => {
    const at = window + (10 + i * 12) * MINUTE + s.int(0, 59) * 1000;
    out.stop(at, maintainer, [web], 'approved-maintenance');
    const startRequest = s.uuid();
    out.call(
      at + 8 * MINUTE,
      prod,
      'eu-west-1',
      maintainer,
      startInstances(startRequest, [web.id]),
      startRequest,
    );
  });
  // Incident response: a notebook seen beaconing is stopped for forensics.
  out.stop(
    day(12) + 14 * HOUR + 22 * MINUTE + 7000,
    responder,
    [byName('ml-notebook-02')],
    'incident-response',
    { force: true },
  );
  // Suspicious: a dormant IAM user stops the production database at 03:07 from an unknown address.
  out.stop(
    day(17) + 3 * HOUR + 7 * MINUTE + 12_000,
    legacy,
    [byName('prod-db-01')],
    'suspicious-offhours-prod-db',
    { suspicious: true },
  );
  // Suspicious: stop, swap the user data, start again within a minute (code runs at boot).
  const web2 = byName('prod-web-02');
  const t0 = day(21) + 2 * HOUR + 14 * MINUTE + 5000;
  out.stop(t0, deployBot, [web2], 'suspicious-stop-userdata-start', {
    suspicious: true,
    force: true,
  });
  const modifyRequest = s.uuid();
  out.call(
    t0 + 36_000,
    prod,
    'eu-west-1',
    deployBot,
    modifyUserData(modifyRequest, web2.id),
    modifyRequest,
  );
  const startRequest = s.uuid();
  out.call(
    t0 + 53_000,
    prod,
    'eu-west-1',
    deployBot,
    startInstances(startRequest, [web2.id]),
    startRequest,
  );
  // Suspicious: twenty API servers stopped in one call late on a Saturday, by a role
  // session whose name says nothing; only the AssumeRole that opened it names the user.
  const massStop = saturdays[saturdays.length - 1]! + 23 * HOUR + 41 * MINUTE + 3000;
  out.stop(massStop, orgAccess, named('prod-api').slice(0, 20), 'suspicious-mass-stop', {
    suspicious: true,
    origin: SESSION_OPENER,
  });
  // Suspicious: denied attempts on the databases by a read-only user.
  out.stop(
    day(9) + 16 * HOUR + 2 * MINUTE + 40_000,
    intern,
    [byName('prod-db-01')],
    'suspicious-denied',
    { suspicious: true, denied: true },
  );
  out.stop(
    day(9) + 16 * HOUR + 3 * MINUTE + 15_000,
    intern,
    [byName('prod-db-01'), byName('prod-db-02')],
    'suspicious-denied',
    { suspicious: true, denied: true },
  );
  // Autoscaling scale-in: terminations, not stops; a reader must not count them.
  for (let d = 2; d <= month.days; d += 3) {
    const terminateRequest = s.uuid();
    out.call(
      day(d) + s.int(1, 5) * HOUR,
      prod,
      'us-east-1',
      autoscaling,
      terminateInstances(terminateRequest, [`i-0${s.hex(16)}`]),
      terminateRequest,
    );
  }

  // Who opened the mass stop's session, six minutes before. Drawn from its own random
  // stream and written last, so nothing generated before it changes.
  const opener = iamUser(random.fork('session-openers'), prod, SESSION_OPENER, {
    ip: '198.51.100.12',
    userAgent: `${CLI_UA} md/command#sts.assume-role`,
  });
  out.call(massStop - 6 * MINUTE, prod, 'eu-west-1', opener, assumeRole(orgAccess.session!));

  out.records.sort((a, b) => a.time - b.time);
  return { instances, records: out.records, stops: out.stops };
}
