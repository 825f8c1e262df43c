import type { AwsCall } from './aws-records.ts';
import type { Random } from './random.ts';

/** What a noise call may refer to in its account. */
export interface AwsNoiseContext {
  readonly account: string;
  readonly region: string;
  readonly instanceIds: readonly string[];
  readonly roleNames: readonly string[];
}

/**
 * An IAM policy that grants `ec2:StopInstances`: the noise a byte prefilter must not take
 * for a stop. Written as the IAM API receives it, a JSON document inside a JSON string.
 */
export function stopPolicyDocument(random: Random): string {
  const actions = ['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances'];
  if (random.chance(0.5)) actions.push('ec2:DescribeTags');
  const condition = random.chance(0.5)
    ? `,\n      "Condition": {\n        "StringEquals": {\n        "aws:ResourceTag/Schedule": "office-hours"\n        }\n      }`
    : '';
  return (
    `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Scheduler${random.int(1, 9)}",\n` +
    `      "Effect": "Allow",\n      "Action": [\n${actions.map((a) => `        "${a}"`).join(',\n')}\n      ],\n` +
    `      "Resource": "*"${condition}\n    }\n  ]\n}`
  );
}

type NoiseBuilder = (random: Random, ctx: AwsNoiseContext) => AwsCall;

function ec2Read(eventName: string, requestParameters: unknown): NoiseBuilder {
  return () => ({
    eventSource: 'ec2.amazonaws.com',
    eventName,
    readOnly: true,
    requestParameters,
    responseElements: null,
  });
}

const DESCRIBE_INSTANCES: NoiseBuilder = (random, ctx) => ({
  eventSource: 'ec2.amazonaws.com',
  eventName: 'DescribeInstances',
  readOnly: true,
  requestParameters: random.chance(0.6)
    ? { instancesSet: {}, filterSet: {} }
    : { instancesSet: { items: [{ instanceId: random.pick(ctx.instanceIds) }] }, filterSet: {} },
  responseElements: null,
});

const ASSUME_ROLE: NoiseBuilder = (random, ctx) => {
  const role = random.pick(ctx.roleNames);
  const session = `${role.toLowerCase().slice(0, 12)}-${random.digits(10)}`;
  const roleId = `AROA${random.upper(17)}`;
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    requestParameters: {
      roleArn: `arn:aws:iam::${ctx.account}:role/${role}`,
      roleSessionName: session,
      durationSeconds: 3600,
    },
    responseElements: {
      credentials: {
        accessKeyId: `ASIA${random.upper(16)}`,
        sessionToken: `IQoJb3JpZ2luX2VjE${random.upper(40)}`,
        expiration: 'Dec 31, 2099, 12:00:00 AM',
      },
      assumedRoleUser: {
        assumedRoleId: `${roleId}:${session}`,
        arn: `arn:aws:sts::${ctx.account}:assumed-role/${role}/${session}`,
      },
    },
    resources: [
      {
        accountId: ctx.account,
        type: 'AWS::IAM::Role',
        ARN: `arn:aws:iam::${ctx.account}:role/${role}`,
      },
    ],
  };
};

const PUT_ROLE_POLICY: NoiseBuilder = (random, ctx) => ({
  eventSource: 'iam.amazonaws.com',
  eventName: 'PutRolePolicy',
  readOnly: false,
  requestParameters: {
    roleName: random.pick(ctx.roleNames),
    policyName: 'ec2-start-stop',
    policyDocument: stopPolicyDocument(random),
  },
  responseElements: null,
});

const CREATE_POLICY_VERSION: NoiseBuilder = (random, ctx) => ({
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreatePolicyVersion',
  readOnly: false,
  requestParameters: {
    policyArn: `arn:aws:iam::${ctx.account}:policy/InstanceSchedulerPolicy`,
    policyDocument: stopPolicyDocument(random),
    setAsDefault: true,
  },
  responseElements: {
    policyVersion: {
      versionId: `v${random.int(2, 40)}`,
      isDefaultVersion: true,
      createDate: 'Dec 31, 2099, 12:00:00 AM',
    },
  },
});

const SIMULATE_POLICY: NoiseBuilder = (random, ctx) => ({
  eventSource: 'iam.amazonaws.com',
  eventName: 'SimulatePrincipalPolicy',
  readOnly: true,
  requestParameters: {
    policySourceArn: `arn:aws:iam::${ctx.account}:role/${random.pick(ctx.roleNames)}`,
    actionNames: ['ec2:StopInstances', 'ec2:StartInstances'],
  },
  responseElements: null,
});

const CREATE_TAGS: NoiseBuilder = (random, ctx) => ({
  eventSource: 'ec2.amazonaws.com',
  eventName: 'CreateTags',
  readOnly: false,
  requestParameters: {
    resourcesSet: { items: [{ resourceId: random.pick(ctx.instanceIds) }] },
    tagSet: { items: [{ key: 'LastPatched', value: `2099-01-${String(random.int(10, 28))}` }] },
  },
  responseElements: { requestId: random.uuid(), _return: true },
});

/** Weighted like a real account: reads dominate, writes are rare, policy edits rarer. */
const CATALOG: ReadonlyArray<readonly [number, NoiseBuilder]> = [
  [30, DESCRIBE_INSTANCES],
  [
    12,
    ec2Read('DescribeInstanceStatus', {
      instancesSet: {},
      filterSet: {},
      includeAllInstances: false,
    }),
  ],
  [8, ec2Read('DescribeVolumes', { volumeSet: {}, filterSet: {} })],
  [
    6,
    ec2Read('DescribeSecurityGroups', {
      securityGroupSet: {},
      securityGroupIdSet: {},
      filterSet: {},
    }),
  ],
  [
    4,
    ec2Read('DescribeSnapshots', {
      snapshotSet: {},
      ownersSet: { items: [{ owner: 'self' }] },
      filterSet: {},
    }),
  ],
  [
    4,
    ec2Read('DescribeTags', {
      filterSet: {
        items: [{ name: 'resource-type', valueSet: { items: [{ value: 'instance' }] } }],
      },
    }),
  ],
  [
    6,
    () => ({
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      readOnly: true,
      requestParameters: { Host: 's3.amazonaws.com' },
      responseElements: null,
    }),
  ],
  [
    6,
    () => ({
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      readOnly: true,
      requestParameters: null,
      responseElements: null,
    }),
  ],
  [10, ASSUME_ROLE],
  [
    4,
    (random, ctx) => ({
      eventSource: 'iam.amazonaws.com',
      eventName: 'GetRole',
      readOnly: true,
      requestParameters: { roleName: random.pick(ctx.roleNames) },
      responseElements: null,
    }),
  ],
  [
    3,
    () => ({
      eventSource: 'iam.amazonaws.com',
      eventName: 'ListRoles',
      readOnly: true,
      requestParameters: null,
      responseElements: null,
    }),
  ],
  [0.6, SIMULATE_POLICY],
  [0.4, PUT_ROLE_POLICY],
  [0.4, CREATE_POLICY_VERSION],
  [3, CREATE_TAGS],
];
const TOTAL = CATALOG.reduce((sum, [weight]) => sum + weight, 0);

/** One everyday call: what makes up nearly all of a real trail. */
export function awsNoiseCall(random: Random, ctx: AwsNoiseContext): AwsCall {
  let roll = random.next() * TOTAL;
  for (const [weight, build] of CATALOG) {
    roll -= weight;
    if (roll < 0) return build(random, ctx);
  }
  return DESCRIBE_INSTANCES(random, ctx);
}
