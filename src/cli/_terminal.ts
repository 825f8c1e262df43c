/** How standard output shows a table: cut to fit a terminal, coloured on one. */
export interface TableTerminal {
  readonly color: boolean;
  readonly fit: boolean;
}

/**
 * This process's standard streams as the commands' `io` takes them: whether each is a
 * terminal, and colours on the output terminal unless `NO_COLOR` is set (no-color.org).
 *
 * @example
 * await runScan(paths, options, { stdout: process.stdout, stderr: process.stderr, ...processTerminal() });
 */
export function processTerminal(): { isTTY: boolean; color: boolean; stderrIsTTY: boolean } {
  const isTTY = process.stdout.isTTY === true;
  return {
    isTTY,
    color: isTTY && !process.env['NO_COLOR'],
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * What a command's `io` says about its output, as table options: cut to fit on a terminal,
 * coloured there unless `color` says otherwise.
 *
 * @example
 * renderStopsTable(stops, tableTerminal(io));
 */
export function tableTerminal(io: {
  readonly isTTY?: boolean;
  readonly color?: boolean;
}): TableTerminal {
  const fit = io.isTTY === true;
  return { color: io.color ?? fit, fit };
}
