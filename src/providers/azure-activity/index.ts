/**
 * @module
 * Azure Activity Log reader: storage and Event Hub exports (`{"records":[...]}`, `PT1H.json`
 * lines), `az monitor activity-log list` and REST pages, Azure SDK `as_dict()` records, and
 * Log Analytics `AzureActivity` rows (query API tables, flat JSON or CSV rows). It maps VM
 * and scale-set deallocate, power-off, start, restart, delete and changes, and diagnostic
 * setting changes, to the shared model; one record is one phase of one operation, and
 * `assembleStops` merges the phases.
 *
 * @example
 * import { azureActivity } from './providers/azure-activity/index.ts';
 * const found = azureActivity.unwrap(JSON.parse(text), {});
 */
import type { Provider } from '../provider.ts';
import { azureCoverageKey, azureRecordCoverageKey } from './coverage-key.ts';
import { ALL_NEEDLES, STOP_NEEDLES } from './needles.ts';
import { normalize } from './normalize.ts';
import { unwrap } from './unwrap.ts';

export const azureActivity: Provider = {
  id: 'azure',
  name: 'azure-activity',
  needles: { stops: STOP_NEEDLES, all: ALL_NEEDLES, anyCase: true },
  unwrap,
  normalize,
  coverageKey: azureCoverageKey,
  recordCoverageKey: azureRecordCoverageKey,
};

export { actorOf } from './actor.ts';
export { classifyOperation } from './operations.ts';
export type { RecordShape } from './shape.ts';
export { azureCoverageKey, azureRecordCoverageKey } from './coverage-key.ts';
