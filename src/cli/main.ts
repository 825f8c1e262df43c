/**
 * @module
 * The `haltwatch` command line: builds the program from the explicit command list and is
 * the one place an error becomes an exit code. `bin/haltwatch.js` runs this file through
 * tsx; `node --import tsx src/cli/main.ts` does the same.
 */
import { Command, CommanderError } from 'commander';
import { AppError, UsageError } from '../errors.ts';
import { commands } from './commands/index.ts';

/** Exit codes: 0 done, 1 nothing could be read or an unexpected failure, 2 a usage error. */
const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

function program(): Command {
  const root = new Command('haltwatch')
    .description(
      'Who stopped my VM, when, from where, and with what outcome: VM stops from AWS CloudTrail, Google Cloud Audit Logs and Azure Activity Log exports',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const command of commands) root.addCommand(command().exitOverride());
  return root;
}

/** The one error handler of the command line: what to tell the user and the exit code. */
function exitCodeFor(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (and the help, for usage errors).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync')
      return error.exitCode;
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    stderr.write(`haltwatch: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof AppError) {
    stderr.write(`haltwatch: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`haltwatch: unexpected failure; please report it with this text:\n${detail}\n`);
  return EXIT_FAILURE;
}

// `haltwatch scan … | head`: a reader that leaves early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error, process.stderr);
}
