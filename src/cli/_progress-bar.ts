import cliProgress from 'cli-progress';

/** Where a bar draws, and whether that is a terminal (pipes and CI get no bar at all). */
export interface ProgressIo {
  readonly stderr: NodeJS.WritableStream;
  readonly stderrIsTTY?: boolean;
}

/** One frame of a bar: how far along, out of how much, and the figures it shows. */
export interface ProgressView {
  readonly value: number;
  readonly total: number;
  readonly payload: Readonly<Record<string, string>>;
}

export interface ProgressBar<T> {
  update(progress: T): void;
  stop(): void;
}

/**
 * A progress bar on standard error while long work runs, drawn only on a terminal so that
 * piped and logged output stays clean. `view` turns the command's own progress value into
 * what the bar shows; `format` names its payload fields (`{files}`, `{stops}`…).
 *
 * @example
 * const bar = progressBar(io, false, 'scan [{bar}] {files} files', (p) => ({ value: p.done, total: p.all, payload: { files: `${p.done}` } }));
 */
export function progressBar<T>(
  io: ProgressIo,
  quiet: boolean,
  format: string,
  view: (progress: T) => ProgressView,
): ProgressBar<T> {
  // Unless told, ask the stream: the demo passes process.stderr without saying.
  const tty = io.stderrIsTTY ?? (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (quiet || !tty) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr as NodeJS.WritableStream & { isTTY: boolean },
      format,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const { value, total, payload } = view(progress);
      if (!started) bar.start(total, value, payload);
      else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
