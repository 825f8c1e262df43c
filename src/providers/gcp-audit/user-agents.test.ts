import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyClient } from '../client-kind.ts';

// The user agents Google Cloud audit entries carry in `callerSuppliedUserAgent`.
describe('classifyClient on Google Cloud user agents', () => {
  it('should read the CLI, client libraries, Terraform and the console', () => {
    const cases: Array<[string, string]> = [
      [
        'google-cloud-sdk gcloud/467.0.0 command/gcloud.compute.instances.stop invocation-id/1 environment/None',
        'cli',
      ],
      ['apitools Python/3.11.8 gsutil/5.27', 'cli'],
      ['gcloud-golang/0.1 (gzip),gzip(gfe)', 'sdk'],
      ['gl-node/20.11.0 gccl/4.3.0 gax/4.0.5 (gzip),gzip(gfe)', 'sdk'],
      ['google-api-python-client/2.151.0 gl-python/3.12.7 (gzip),gzip(gfe)', 'sdk'],
      ['google-api-go-client/0.5 Terraform/1.9.8 terraform-provider-google/6.12.0', 'iac'],
      ['Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36,gzip(gfe)', 'console'],
      ['(gzip),gzip(gfe)', 'unknown'],
    ];
    for (const [agent, kind] of cases) assert.equal(classifyClient(agent), kind, agent);
  });

  it('should call a Google service agent acting on its own a cloud service', () => {
    assert.equal(classifyClient(undefined, 'compute.googleapis.com'), 'cloud_service');
  });
});
