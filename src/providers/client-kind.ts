import type { ClientKind } from '../model/index.ts';

/*
 * Ordered: the first match wins. Infrastructure-as-code and schedulers are checked before
 * SDKs because they are built on SDKs and put the SDK's name in the agent too.
 */
const PATTERNS: ReadonlyArray<readonly [ClientKind, RegExp]> = [
  ['iac', /terraform|pulumi|cloudformation|crossplane|ansible|cdktf|\bcdk\b|aws-cdk|bicep|deploymentmanager/i],
  ['scheduler', /instance-scheduler|instancescheduler|cloud-?scheduler|start-?stop|automation account|azure-automation|logic ?apps?|ssm-automation|AWSSystemsManager|\bcron\b/i],
  // AWS consoles call as `console.ec2.amazonaws.com`, `console.amazonaws.com`, `[S3Console/0.4]`.
  ['console', /console\.(aws\.amazon|cloud\.google)\.com|^console\.([a-z0-9-]+\.)?amazonaws\.com$|S3Console|signin\.amazonaws\.com|portal\.azure\.com|Mozilla\/|AWS Internal|ConsoleUIBackend/i],
  // `gcloud-golang`, `gcloud-python`, … are Google's client libraries, not the CLI.
  ['cli', /aws-cli|google-cloud-sdk|gcloud(?![-_](?:golang|python|node|java|ruby))|apitools|azure-cli|AZURECLI|\baz\b\/|powershell|Az\.Compute|aws-shell|aws-powertools|command\/ec2/i],
  ['sdk', /boto3|botocore|aws-sdk|aws-java-sdk|aws-sdk-go|google-api-|gl-python|gl-go|gl-node|gl-java|gl-dotnet|gcloud-(?:golang|python|node|java|ruby)|\bgccl\b|grpc|azsdk|azure-sdk|python-requests|okhttp|apache-httpclient|Go-http-client|node-fetch|axios/i],
];

/**
 * Tells how a call was made from its user agent and, when the caller was a cloud service,
 * from the service name that stands in for the source address.
 *
 * @example
 * classifyClient('aws-cli/2.17.32 md/command#ec2.stop-instances'); // 'cli'
 */
export function classifyClient(userAgent: string | undefined, service?: string): ClientKind {
  if (service) return 'cloud_service';
  if (!userAgent) return 'unknown';
  // AWS services calling on a user's behalf put their own host name in the agent.
  // The console and sign-in hosts are people at a browser, not services.
  const agent = userAgent.trim();
  if (/^[a-z0-9-]+\.amazonaws\.com$/i.test(agent) && !/^(console|signin)\./i.test(agent)) return 'cloud_service';
  for (const [kind, pattern] of PATTERNS) if (pattern.test(userAgent)) return kind;
  return 'unknown';
}
