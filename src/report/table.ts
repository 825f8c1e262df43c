import Table from 'cli-table3';
import type { AuditEvent, InstanceStop } from '../model/index.ts';
import {
  actionCell,
  CLOUD_NAMES,
  instanceCell,
  outcomeCell,
  placeCell,
  scopeCell,
  sourceCell,
  targetsCell,
  timeCell,
} from './_cells.ts';
import { clip, terminalSafe } from './_text.ts';
import { describeActor } from './describe-actor.ts';

export interface TableOptions {
  /** Colour the header and borders (only on a terminal). */
  readonly color?: boolean;
  /** Longest text in one cell; longer text is cut with `…`. */
  readonly maxCell?: number;
}

const STOP_HEAD = ['time', 'cloud', 'account', 'instance', 'action', 'actor', 'source', 'outcome'];
const EVENT_HEAD = ['time', 'cloud', 'account', 'targets', 'action', 'actor', 'source', 'outcome'];

/* No rule between rows: a month of stops stays readable, one line per stop. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function newTable(head: string[], options: TableOptions): Table.Table {
  const style = options.color ? {} : { head: [], border: [] };
  return new Table({ head, style, chars: COMPACT });
}

function cell(text: string, options: TableOptions): string {
  return clip(terminalSafe(text), options.maxCell ?? 60);
}

/**
 * The stops as a text table, one row per instance stop, oldest first. Every cell is made
 * terminal-safe: log text cannot move the cursor or change colours.
 *
 * @example
 * process.stdout.write(renderStopsTable(result.stops));
 */
export function renderStopsTable(
  stops: readonly InstanceStop[],
  options: TableOptions = {},
): string {
  const table = newTable(STOP_HEAD, options);
  for (const stop of stops) {
    const place = placeCell(stop.scope, stop.instance);
    table.push(
      [
        timeCell(stop.time),
        CLOUD_NAMES[stop.provider],
        scopeCell(stop.scope),
        place ? `${instanceCell(stop.instance)} ${place}` : instanceCell(stop.instance),
        actionCell(stop),
        describeActor(stop.actor),
        sourceCell(stop.source),
        outcomeCell(stop.outcome),
      ].map((text) => cell(text, options)),
    );
  }
  return `${table.toString()}\n`;
}

/** The related events (`--all`) as a second table, in time order. */
export function renderEventsTable(
  events: readonly AuditEvent[],
  options: TableOptions = {},
): string {
  const table = newTable(EVENT_HEAD, options);
  for (const event of events) {
    table.push(
      [
        timeCell(event.time),
        CLOUD_NAMES[event.provider],
        scopeCell(event.scope),
        targetsCell(event),
        `${actionCell(event)} ${event.operation}`,
        describeActor(event.actor),
        sourceCell(event.source),
        outcomeCell(event.outcome),
      ].map((text) => cell(text, options)),
    );
  }
  return `${table.toString()}\n`;
}
