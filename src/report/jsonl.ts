import type { ResolvedActor } from '../context/identity-chain.ts';
import type { AuditEvent, InstanceStop } from '../model/index.ts';
import { isoTime } from '../model/index.ts';

/**
 * A stop as one JSON object: the model as it is, with `record` telling stops from events in
 * a mixed stream and times as ISO 8601 text rather than epoch numbers.
 */
export function stopRecord(stop: InstanceStop): Record<string, unknown> {
  return {
    record: 'stop',
    ...stop,
    time: isoTime(stop.time),
    ...(stop.endTime !== undefined ? { endTime: isoTime(stop.endTime) } : {}),
  };
}

export function eventRecord(event: AuditEvent): Record<string, unknown> {
  return { record: 'event', ...event, time: isoTime(event.time) };
}

/**
 * JSON lines: one stop per line, then (with `--all`) one event per line. JSON.stringify
 * escapes every control character, so hostile text cannot break a line. With `resolved`
 * (in the order of the stops) each stop also carries `resolvedActor`, as the store's
 * commands print it.
 *
 * @example
 * for (const line of jsonLines(result.stops)) process.stdout.write(line);
 */
export function* jsonLines(
  stops: readonly InstanceStop[],
  events: readonly AuditEvent[] = [],
  resolved?: readonly (ResolvedActor | undefined)[],
): Generator<string> {
  for (const [index, stop] of stops.entries()) {
    const resolvedActor = resolved?.[index];
    const record = stopRecord(stop);
    yield `${JSON.stringify(resolvedActor ? { ...record, resolvedActor } : record)}\n`;
  }
  for (const event of events) yield `${JSON.stringify(eventRecord(event))}\n`;
}
