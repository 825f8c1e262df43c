import { isoSeconds } from './_calendar.ts';
import type { AwsCaller, AwsSession } from './aws-identity.ts';
import type { Random } from './random.ts';

/** What varies between CloudTrail calls; the envelope around it is the same for all. */
export interface AwsCall {
  readonly eventSource: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly requestParameters: unknown;
  readonly responseElements: unknown;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly resources?: readonly unknown[];
  readonly additionalEventData?: unknown;
  readonly eventType?: string;
}

/** The global services whose calls CloudTrail records in us-east-1. */
const GLOBAL = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com']);

/**
 * Shaped after the real records in the shared corpus (stratus-red-team, TrailDiscover,
 * cloud-custodian): the test compares field types with a real `StopInstances` record.
 *
 * One CloudTrail record with the keys in the order CloudTrail's S3 delivery writes them.
 * `requestID` is shared with `responseElements.requestId` where the API echoes it.
 */
export function cloudTrailRecord(
  random: Random,
  time: number,
  account: string,
  region: string,
  caller: AwsCaller,
  call: AwsCall,
  requestId: string = random.uuid(),
): Record<string, unknown> {
  const awsRegion =
    GLOBAL.has(call.eventSource) && call.eventSource !== 'sts.amazonaws.com' ? 'us-east-1' : region;
  const host = GLOBAL.has(call.eventSource)
    ? call.eventSource
    : call.eventSource.replace('.amazonaws.com', `.${awsRegion}.amazonaws.com`);
  const byService = caller.sourceIp.endsWith('.amazonaws.com');
  return {
    eventVersion: '1.09',
    userIdentity: caller.userIdentity(time),
    eventTime: isoSeconds(time),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion,
    sourceIPAddress: caller.sourceIp,
    userAgent: caller.userAgent,
    ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: call.errorMessage } : {}),
    requestParameters: call.requestParameters,
    responseElements: call.responseElements,
    ...(call.additionalEventData ? { additionalEventData: call.additionalEventData } : {}),
    requestID: requestId,
    eventID: random.uuid(),
    readOnly: call.readOnly,
    ...(call.resources ? { resources: call.resources } : {}),
    eventType: call.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    ...(byService
      ? {}
      : {
          tlsDetails: {
            tlsVersion: 'TLSv1.3',
            cipherSuite: 'TLS_AES_128_GCM_SHA256',
            clientProvidedHostHeader: host,
          },
        }),
    ...(caller.console ? { sessionCredentialFromConsole: 'true' } : {}),
  };
}

const STATES = {
  pending: { code: 0, name: 'pending' },
  running: { code: 16, name: 'running' },
  shuttingDown: { code: 32, name: 'shutting-down' },
  stopping: { code: 64, name: 'stopping' },
  stopped: { code: 80, name: 'stopped' },
} as const;

function instanceItems(ids: readonly string[]): { items: { instanceId: string }[] } {
  return { items: ids.map((instanceId) => ({ instanceId })) };
}

function stateChange(
  requestId: string,
  ids: readonly string[],
  previous: keyof typeof STATES,
  current: keyof typeof STATES,
): unknown {
  return {
    requestId,
    instancesSet: {
      items: ids.map((instanceId) => ({
        instanceId,
        currentState: STATES[current],
        previousState: STATES[previous],
      })),
    },
  };
}

/** `StopInstances` of running instances; denied calls carry the real EC2 error shape. */
export function stopInstances(
  requestId: string,
  ids: readonly string[],
  options: {
    force?: boolean;
    deniedFor?: { arn: string; region: string; account: string; random: Random };
  } = {},
): AwsCall {
  const requestParameters = { instancesSet: instanceItems(ids), force: options.force ?? false };
  const denied = options.deniedFor;
  if (denied) {
    return {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'StopInstances',
      readOnly: false,
      requestParameters,
      responseElements: null,
      errorCode: 'Client.UnauthorizedOperation',
      errorMessage:
        `You are not authorized to perform this operation. User: ${denied.arn} is not authorized to perform: ` +
        `ec2:StopInstances on resource: arn:aws:ec2:${denied.region}:${denied.account}:instance/${ids[0]} ` +
        `because no identity-based policy allows the ec2:StopInstances action. Encoded authorization failure message: ` +
        denied.random.upper(96),
    };
  }
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'StopInstances',
    readOnly: false,
    requestParameters,
    responseElements: stateChange(requestId, ids, 'running', 'stopping'),
  };
}

/** The `AssumeRole` that opened a role session: the key it hands out is the session's own. */
export function assumeRole(session: AwsSession): AwsCall {
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    requestParameters: {
      roleArn: session.roleArn,
      roleSessionName: session.sessionName,
      durationSeconds: 3600,
    },
    responseElements: {
      credentials: {
        accessKeyId: session.accessKeyId,
        sessionToken: 'IQoJb3JpZ2luX2VjEDEMOSESSIONTOKEN',
        expiration: 'Dec 31, 2099, 12:00:00 AM',
      },
      assumedRoleUser: {
        assumedRoleId: `${session.roleId}:${session.sessionName}`,
        arn: session.arn,
      },
    },
  };
}

export function startInstances(requestId: string, ids: readonly string[]): AwsCall {
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'StartInstances',
    readOnly: false,
    requestParameters: { instancesSet: instanceItems(ids) },
    responseElements: stateChange(requestId, ids, 'stopped', 'pending'),
  };
}

export function terminateInstances(requestId: string, ids: readonly string[]): AwsCall {
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'TerminateInstances',
    readOnly: false,
    requestParameters: { instancesSet: instanceItems(ids) },
    responseElements: stateChange(requestId, ids, 'running', 'shuttingDown'),
  };
}

export function modifyUserData(requestId: string, id: string): AwsCall {
  return {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'ModifyInstanceAttribute',
    readOnly: false,
    requestParameters: { instanceId: id, userData: '<sensitiveDataRemoved>' },
    responseElements: { requestId, _return: true },
  };
}
