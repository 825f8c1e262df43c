/**
 * Generated CloudTrail-like records for the framing benchmarks: mostly read-only noise with
 * IAM policy documents (JSON inside a JSON string, escaped quotes) and rare stops, so the
 * byte mix resembles a real S3 delivery file.
 */

const names = [
  'DescribeInstances',
  'GetObject',
  'ListBuckets',
  'AssumeRole',
  'PutRolePolicy',
  'DescribeVolumes',
  'GetCallerIdentity',
  'ListRoles',
];

/** A small deterministic PRNG so every run frames the same bytes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RecordGenerator {
  /** The next record as compact JSON text. */
  next(): string;
}

/** Records where about one in `stopEvery` is a StopInstances call. */
export function createRecordGenerator(seed = 1, stopEvery = 2000): RecordGenerator {
  const random = mulberry32(seed);
  let n = 0;
  function hex(len: number): string {
    let s = '';
    while (s.length < len)
      s += Math.floor(random() * 0xffffffff)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, len);
  }
  return {
    next(): string {
      n++;
      const stop = n % stopEvery === 0;
      const name = stop ? 'StopInstances' : names[Math.floor(random() * names.length)];
      const policy =
        name === 'PutRolePolicy'
          ? {
              roleName: `role-${hex(6)}`,
              policyName: 'ops',
              policyDocument: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['ec2:StopInstances', 'ec2:StartInstances'],
                    Resource: '*',
                  },
                ],
              }),
            }
          : stop
            ? { instancesSet: { items: [{ instanceId: `i-${hex(17)}` }] }, force: false }
            : { filterSet: {}, maxResults: 100, instancesSet: {} };
      const record = {
        eventVersion: '1.09',
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROA${hex(16).toUpperCase()}:session-${hex(8)}`,
          arn: `arn:aws:sts::123456789012:assumed-role/ops-role/session-${hex(8)}`,
          accountId: '123456789012',
          accessKeyId: `ASIA${hex(16).toUpperCase()}`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: `AROA${hex(16).toUpperCase()}`,
              arn: 'arn:aws:iam::123456789012:role/ops-role',
              accountId: '123456789012',
              userName: 'ops-role',
            },
            attributes: { creationDate: '2024-05-01T10:00:00Z', mfaAuthenticated: 'false' },
          },
        },
        eventTime: new Date(1714557600000 + n * 1000).toISOString().replace('.000', ''),
        eventSource: 'ec2.amazonaws.com',
        eventName: name,
        awsRegion: 'eu-west-1',
        sourceIPAddress: `10.${n % 256}.${(n >> 8) % 256}.${(n >> 16) % 256}`,
        userAgent:
          'aws-cli/2.17.32 md/awscrt#0.21.2 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11.9 md/command#ec2.describe-instances',
        requestParameters: policy,
        responseElements: null,
        requestID: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        eventID: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        readOnly: !stop,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: '123456789012',
        eventCategory: 'Management',
        tlsDetails: {
          tlsVersion: 'TLSv1.3',
          cipherSuite: 'TLS_AES_128_GCM_SHA256',
          clientProvidedHostHeader: 'ec2.eu-west-1.amazonaws.com',
        },
      };
      return JSON.stringify(record);
    },
  };
}

/** About `bytes` of records as one `{"Records":[...]}` document, the S3 delivery shape. */
export function generateRecordsFile(bytes: number, seed = 1): Buffer {
  const gen = createRecordGenerator(seed);
  const parts: string[] = ['{"Records":['];
  let size = 12;
  let first = true;
  while (size < bytes) {
    const r = gen.next();
    parts.push(first ? r : `,${r}`);
    size += r.length + 1;
    first = false;
  }
  parts.push(']}');
  return Buffer.from(parts.join(''));
}
