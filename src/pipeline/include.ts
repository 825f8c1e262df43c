import type { AuditEvent } from '../model/index.ts';
import { isStopAction } from '../model/index.ts';
import type { Provider } from '../providers/index.ts';
import type { Include } from './types.ts';

/**
 * Whether a scan of `include` keeps an event: `all` every related event, `stops` and
 * `identity` the stops (an `identity` scan keeps the credentials role-issuing events hand
 * out as links beside them, not the events).
 *
 * @example
 * events.filter((event) => keepsEvent('stops', event));
 */
export function keepsEvent(include: Include, event: AuditEvent): boolean {
  return include === 'all' || isStopAction(event.action);
}

/** The prefilter needles of a provider for a scan of `include`. */
export function providerNeedles(provider: Provider, include: Include): readonly string[] {
  switch (include) {
    case 'stops':
      return provider.needles.stops;
    case 'identity':
      return provider.needles.identity ?? provider.needles.stops;
    case 'all':
      return provider.needles.all;
    default: {
      const never: never = include;
      return never;
    }
  }
}
