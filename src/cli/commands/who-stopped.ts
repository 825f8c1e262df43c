import { Command } from 'commander';
import { stopRecord } from '../../report/index.ts';
import { openStore, storeUrl } from '../../store/open-store.ts';
import { renderWhoStopped } from '../../store/render-answers.ts';
import type { StoreIo } from './ingest.ts';

export interface WhoStoppedOptions {
  readonly db?: string;
  readonly all?: boolean;
  readonly json?: boolean;
}

/**
 * `haltwatch who-stopped <instance>` without the command line. Exit code 1 when the store
 * holds no stop of that instance.
 *
 * @example
 * await runWhoStopped('prod-db-1', {}, { stdout: process.stdout, stderr: process.stderr });
 */
export async function runWhoStopped(
  instance: string,
  options: WhoStoppedOptions,
  io: StoreIo,
): Promise<number> {
  const store = await openStore(storeUrl(options.db, io.env), { mustExist: true });
  try {
    const answers = await store.whoStopped(instance, { all: options.all === true });
    if (answers.length === 0) {
      io.stderr.write(`haltwatch who-stopped: no stop of "${instance}" in the store\n`);
      return 1;
    }
    if (options.json) {
      for (const { stop, resolved } of answers)
        io.stdout.write(`${JSON.stringify({ ...stopRecord(stop), resolvedActor: resolved })}\n`);
    } else io.stdout.write(renderWhoStopped(answers));
    return 0;
  } finally {
    await store.close();
  }
}

export function whoStoppedCommand(): Command {
  return new Command('who-stopped')
    .description('who really stopped an instance: time, actor and identity chain, source, outcome')
    .argument('<instance>', 'instance id or name')
    .option(
      '--db <url>',
      'store: a SQLite file (default ./haltwatch.db, or HALTWATCH_DB) or postgres://…',
    )
    .option('--all', 'every stop of the instance, oldest first, not only the last')
    .option('--json', 'JSON lines instead of text')
    .action(async (instance: string, options: WhoStoppedOptions) => {
      process.exitCode = await runWhoStopped(instance, options, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
}
