import Table from 'cli-table3';
import { tracedBeyondRecord, type ResolvedActor } from '../context/identity-chain.ts';
import type { Actor, AuditEvent, InstanceStop } from '../model/index.ts';
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
  /**
   * Cut each column to a width that fits a terminal (the actor and the instance get the
   * most room). Off for pipes: a `grep` must find the whole actor and chain.
   */
  readonly fit?: boolean;
  /**
   * Who really acted behind each stop, in the order of the stops (`scan --resolve`, the
   * store): the actor cell then starts with `origin → ` where other records named one.
   */
  readonly resolved?: readonly (ResolvedActor | undefined)[];
}

const STOP_HEAD = ['time', 'cloud', 'account', 'instance', 'action', 'actor', 'source', 'outcome'];
const EVENT_HEAD = ['time', 'cloud', 'account', 'targets', 'action', 'actor', 'source', 'outcome'];

/*
 * No box: columns apart by two spaces and one line per stop, so a month of stops reads like
 * `ls -l` and fits a terminal. Cells are cut at a width per column (the actor and the
 * instance get the most room); JSON lines and CSV carry the full text.
 */
/** cli-table3 characters for a borderless table; the coverage report uses them too. */
export const PLAIN_TABLE_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' ',
};
const STOP_WIDTHS = [20, 5, 28, 40, 18, 46, 28, 48];
/* Event actions carry the provider's operation name too. */
const EVENT_WIDTHS = [20, 5, 28, 40, 40, 46, 28, 48];

function newTable(head: string[], options: TableOptions): Table.Table {
  const style = options.color
    ? { 'padding-left': 0, 'padding-right': 1 }
    : { head: [], border: [], 'padding-left': 0, 'padding-right': 1 };
  return new Table({ head, style, chars: PLAIN_TABLE_CHARS });
}

function cell(text: string, width: number, options: TableOptions): string {
  const max = options.fit ? Math.min(options.maxCell ?? width, width) : options.maxCell;
  return max === undefined ? terminalSafe(text) : clip(terminalSafe(text), max);
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
  // A header over nothing reads like a failure to print; say what was found instead.
  if (stops.length === 0) return 'No stops found.\n';
  const table = newTable(STOP_HEAD, options);
  for (const [index, stop] of stops.entries()) {
    const place = placeCell(stop.scope, stop.instance);
    table.push(
      [
        timeCell(stop.time),
        CLOUD_NAMES[stop.provider],
        scopeCell(stop.scope),
        place ? `${instanceCell(stop.instance)} ${place}` : instanceCell(stop.instance),
        actionCell(stop),
        `${originPrefix(stop.actor, options.resolved?.[index])}${describeActor(stop.actor)}`,
        sourceCell(stop.source),
        outcomeCell(stop.outcome),
      ].map((text, column) => cell(text, STOP_WIDTHS[column]!, options)),
    );
  }
  return `${table.toString()}\n`;
}

/**
 * `alice → ` when resolution found someone the record itself does not name: an identity
 * reached through the events that issued the session's keys. First, because it is who
 * acted and a cell cut to fit a terminal keeps its start; nothing otherwise, so the cell
 * does not say the same name twice.
 */
function originPrefix(actor: Actor, resolved: ResolvedActor | undefined): string {
  if (!resolved || !tracedBeyondRecord(actor, resolved)) return '';
  const origin = resolved.origin.name ?? resolved.origin.id;
  if (!origin || origin === actor.name || origin === actor.id || origin === actor.session?.name)
    return '';
  return `${origin} → `;
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
      ].map((text, column) => cell(text, EVENT_WIDTHS[column]!, options)),
    );
  }
  return `${table.toString()}\n`;
}
