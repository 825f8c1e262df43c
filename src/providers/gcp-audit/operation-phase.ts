import type { Phase } from '../../model/index.ts';

/**
 * The phase of a long-running operation from `LogEntry.operation`: `first` only is the
 * request (`begin`), `last` only is the completion (`end`); both, or neither, is an entry
 * that stands alone (`single`), such as a system event or a call refused at once.
 *
 * @example
 * readPhase({ id: 'operation-1', first: true }); // 'begin'
 */
export function readPhase(
  operation: { readonly first?: boolean; readonly last?: boolean } | undefined,
): Phase {
  const first = operation?.first === true;
  const last = operation?.last === true;
  if (first && !last) return 'begin';
  if (last && !first) return 'end';
  return 'single';
}
