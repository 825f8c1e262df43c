/*
 * Records in the clouds' real export shapes, written for the pipeline tests from the
 * providers' documented schemas (CloudTrail record contents, GCP LogEntry with an
 * AuditLog payload, Azure Activity Log storage export). Values are made up.
 */

export function cloudTrailStop(
  n: number,
  instance = `i-0000000000000000${n}`,
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    eventTime: `2024-08-01T12:0${n % 10}:00Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'StopInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.17.32 md/command#ec2.stop-instances',
    requestParameters: { instancesSet: { items: [{ instanceId: instance }] }, force: false },
    responseElements: {
      requestId: `req-${n}`,
      instancesSet: {
        items: [
          {
            instanceId: instance,
            currentState: { code: 64, name: 'stopping' },
            previousState: { code: 16, name: 'running' },
          },
        ],
      },
    },
    requestID: `req-${n}`,
    eventID: `00000000-0000-0000-0000-00000000000${n}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

export function cloudTrailNoise(n: number): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111122223333:user/bob',
      accountId: '111122223333',
      userName: 'bob',
    },
    eventTime: '2024-08-01T11:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.8',
    userAgent: 'Boto3/1.34.0',
    requestParameters: null,
    responseElements: null,
    requestID: `noise-${n}`,
    eventID: `10000000-0000-0000-0000-00000000000${n}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

export function gcpStopEntry(): Record<string, unknown> {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      status: {},
      authenticationInfo: { principalEmail: 'carol@example.com' },
      requestMetadata: {
        callerIp: '198.51.100.4',
        callerSuppliedUserAgent: 'google-cloud-sdk gcloud/480.0.0',
      },
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.instances.stop',
      resourceName: 'projects/demo-project/zones/europe-west1-b/instances/web-1',
      request: { '@type': 'type.googleapis.com/compute.instances.stop' },
    },
    insertId: 'abc123',
    resource: {
      type: 'gce_instance',
      labels: {
        instance_id: '4444444444444444444',
        project_id: 'demo-project',
        zone: 'europe-west1-b',
      },
    },
    timestamp: '2024-08-02T09:00:00.000Z',
    severity: 'NOTICE',
    logName: 'projects/demo-project/logs/cloudaudit.googleapis.com%2Factivity',
    operation: { id: 'operation-1', producer: 'compute.googleapis.com', first: true },
    receiveTimestamp: '2024-08-02T09:00:01.000Z',
  };
}

export function azureDeallocate(phase: 'Started' | 'Succeeded'): Record<string, unknown> {
  return {
    time: phase === 'Started' ? '2024-08-03T10:00:00.0000000Z' : '2024-08-03T10:01:30.0000000Z',
    resourceId:
      '/SUBSCRIPTIONS/00000000-1111-2222-3333-444444444444/RESOURCEGROUPS/RG-PROD/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-DB-1',
    operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION',
    category: 'Administrative',
    resultType: phase === 'Started' ? 'Start' : 'Success',
    resultSignature: phase === 'Started' ? 'Started.' : 'Succeeded.',
    durationMs: '0',
    callerIpAddress: '192.0.2.10',
    correlationId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    identity: {
      authorization: {
        scope:
          '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-db-1',
        action: 'Microsoft.Compute/virtualMachines/deallocate/action',
        evidence: { role: 'Contributor', principalType: 'User' },
      },
      claims: {
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'dave@example.com',
        name: 'Dave',
        'http://schemas.microsoft.com/identity/claims/objectidentifier':
          '99999999-8888-7777-6666-555555555555',
      },
    },
    level: 'Information',
    location: 'global',
    properties: {
      eventCategory: 'Administrative',
      entity:
        '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-db-1',
      hierarchy: '',
    },
  };
}
