/**
 * @module
 * Placeholder until the azure-activity reader lands: recognises nothing.
 */
import type { Provider } from '../provider.ts';

export const azureActivity: Provider = {
  id: 'azure',
  name: 'azure-activity',
  needles: { stops: [], all: [] },
  unwrap: () => undefined,
  normalize: () => ({ events: [] }),
};
