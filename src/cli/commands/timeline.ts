import { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import type { EpochMs } from '../../model/index.ts';
import { isoTime } from '../../model/index.ts';
import { parseTimeBound } from '../../pipeline/filter.ts';
import { openStore, storeUrl } from '../../store/open-store.ts';
import { renderTimeline } from '../../store/render-answers.ts';
import type { TimelineQuery } from '../../store/store.ts';
import type { StoreIo } from './ingest.ts';

export interface TimelineOptions {
  readonly db?: string;
  readonly instance?: string;
  readonly actor?: string;
  readonly around?: string;
  readonly window?: string;
  readonly json?: boolean;
}

/** Checks the command-line text: exactly one subject; `--window` is a duration (2h, 30m). */
export function parseTimelineQuery(options: TimelineOptions, now: EpochMs): TimelineQuery {
  if ((options.instance === undefined) === (options.actor === undefined)) {
    throw new UsageError('Cannot build a timeline: give exactly one of --instance and --actor');
  }
  if (options.window !== undefined && options.around === undefined) {
    throw new UsageError(
      'Cannot use --window without --around: say which time the window is around',
    );
  }
  const around =
    options.around !== undefined ? parseTimeBound(options.around, 'around', now) : undefined;
  let window: number | undefined;
  if (options.window !== undefined) {
    if (!/^\s*\d+\s*[smhdw]\s*$/i.test(options.window)) {
      throw new UsageError(
        `Cannot read --window "${options.window}": use a duration such as 2h, 30m, 1d`,
      );
    }
    window = now - parseTimeBound(options.window, 'window', now);
  }
  const subject =
    options.instance !== undefined ? { instance: options.instance } : { actor: options.actor! };
  return {
    ...subject,
    ...(around !== undefined ? { around } : {}),
    ...(window !== undefined ? { window } : {}),
  };
}

/**
 * `haltwatch timeline` without the command line: every stored event of an instance or an
 * identity (across clouds and the accounts its sessions crossed), in order.
 *
 * @example
 * await runTimeline({ actor: 'alice', around: '2024-08-01T12:00:00Z', window: '2h' }, io);
 */
export async function runTimeline(
  options: TimelineOptions,
  io: StoreIo,
  now = Date.now() as EpochMs,
): Promise<number> {
  const query = parseTimelineQuery(options, now);
  const store = await openStore(storeUrl(options.db, io.env), { mustExist: true });
  try {
    const timeline = await store.timeline(query);
    if (options.json) {
      for (const entry of timeline.entries) {
        const record =
          entry.kind === 'event'
            ? { record: 'event', ...entry.event }
            : { record: 'credential', ...entry.credential };
        io.stdout.write(`${JSON.stringify({ ...record, time: isoTime(entry.time) })}\n`);
      }
    } else {
      // For an instance, the chain behind its last stop, shown once above the events.
      const last =
        query.instance !== undefined ? (await store.whoStopped(query.instance))[0] : undefined;
      io.stdout.write(renderTimeline(timeline, last?.resolved, 'last stopped by'));
    }
    return 0;
  } finally {
    await store.close();
  }
}

export function timelineCommand(): Command {
  return new Command('timeline')
    .description(
      'every stored event of an instance or an identity, in order, each with its raw-record pointer',
    )
    .option(
      '--db <url>',
      'store: a SQLite file (default ./haltwatch.db, or HALTWATCH_DB) or postgres://…',
    )
    .option('--instance <id>', 'the instance (id or name)')
    .option('--actor <who>', 'the identity: user, ARN, email, object id or display name')
    .option('--around <time>', 'centre of the window: ISO 8601 or a duration back')
    .option('--window <duration>', 'events within this much either side of --around (default 1h)')
    .option('--json', 'JSON lines instead of text')
    .action(async (options: TimelineOptions) => {
      process.exitCode = await runTimeline(options, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
}
