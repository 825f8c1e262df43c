import type { DemoStop } from './demo-manifest.ts';
import type { Random } from './random.ts';

/** A caller as CloudTrail records it, plus what the ground truth says about it. */
export interface AwsCaller {
  readonly userIdentity: (time: number) => Record<string, unknown>;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly actor: DemoStop['actor'];
  /** Console sessions add `sessionCredentialFromConsole`. */
  readonly console?: boolean;
  /** A role session's temporary key and role: what an `AssumeRole` that opened it hands out. */
  readonly session?: AwsSession;
}

export interface AwsSession {
  readonly accessKeyId: string;
  readonly roleArn: string;
  readonly roleId: string;
  readonly arn: string;
  readonly sessionName: string;
}

function creationDate(time: number, random: Random): string {
  const ms = time - random.int(2, 50) * 60_000;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An IAM user with a long-term access key (`AKIA…`). */
export function iamUser(
  random: Random,
  account: string,
  userName: string,
  source: { ip: string; userAgent: string },
): AwsCaller {
  const principalId = `AIDA${random.upper(17)}`;
  const accessKeyId = `AKIA${random.upper(16)}`;
  const arn = `arn:aws:iam::${account}:user/${userName}`;
  return {
    userIdentity: () => ({
      type: 'IAMUser',
      principalId,
      arn,
      accountId: account,
      accessKeyId,
      userName,
    }),
    sourceIp: source.ip,
    userAgent: source.userAgent,
    actor: { type: 'user', id: arn, name: userName, chain: [] },
  };
}

export interface RoleSessionOptions {
  readonly ip: string;
  readonly userAgent: string;
  readonly sourceIdentity?: string;
  readonly invokedBy?: string;
  readonly mfa?: boolean;
  readonly console?: boolean;
}

/** A role session (`ASIA…` key) as CloudTrail records it, issuer and all. */
export function roleSession(
  random: Random,
  account: string,
  roleName: string,
  sessionName: string,
  options: RoleSessionOptions,
): AwsCaller {
  const roleId = `AROA${random.upper(17)}`;
  const accessKeyId = `ASIA${random.upper(16)}`;
  const roleArn = `arn:aws:iam::${account}:role/${roleName.startsWith('AWSReservedSSO_') ? 'aws-reserved/sso.amazonaws.com/' : ''}${roleName}`;
  const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
  const sessionRandom = random.fork(sessionName);
  return {
    userIdentity: (time) => ({
      type: 'AssumedRole',
      principalId: `${roleId}:${sessionName}`,
      arn,
      accountId: account,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: roleArn,
          accountId: account,
          userName: roleName,
        },
        webIdFederationData: {},
        attributes: {
          creationDate: creationDate(time, sessionRandom),
          mfaAuthenticated: options.mfa ? 'true' : 'false',
        },
        ...(options.sourceIdentity ? { sourceIdentity: options.sourceIdentity } : {}),
      },
      ...(options.invokedBy ? { invokedBy: options.invokedBy } : {}),
    }),
    sourceIp: options.ip,
    userAgent: options.userAgent,
    console: options.console,
    session: { accessKeyId, roleArn, roleId, arn, sessionName },
    actor: { type: 'assumed_role', id: arn, name: `${roleName}/${sessionName}`, chain: [roleArn] },
  };
}
