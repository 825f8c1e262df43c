/**
 * @module
 * Placeholder until the aws-cloudtrail reader lands: recognises nothing.
 */
import type { Provider } from '../provider.ts';

export const awsCloudTrail: Provider = {
  id: 'aws',
  name: 'aws-cloudtrail',
  needles: { stops: [], all: [] },
  unwrap: () => undefined,
  normalize: () => ({ events: [] }),
};
