/**
 * @module
 * Placeholder until the gcp-audit reader lands: recognises nothing.
 */
import type { Provider } from '../provider.ts';

export const gcpAudit: Provider = {
  id: 'gcp',
  name: 'gcp-audit',
  needles: { stops: [], all: [] },
  unwrap: () => undefined,
  normalize: () => ({ events: [] }),
};
