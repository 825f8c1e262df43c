import type { AuditEvent } from '../model/index.ts';
import { isStopAction } from '../model/index.ts';
import type { Provider } from '../providers/index.ts';
import type { Include } from './types.ts';

/**
 * Whether a scan of `include` keeps an event: `stops` the stops, `identity` the stops and
 * the events that issued a credential (to follow a role session back to who opened it),
 * `all` every related event.
 *
 * @example
 * events.filter((event) => keepsEvent('identity', event));
 */
export function keepsEvent(include: Include, event: AuditEvent): boolean {
  if (include === 'all' || isStopAction(event.action)) return true;
  return include === 'identity' && event.issued?.accessKeyId !== undefined;
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
