/**
 * @module
 * The commands of `haltwatch`, listed by hand: a new command is added here, never found by
 * scanning the folder.
 */
import type { Command } from 'commander';
import { coverageCommand } from './coverage.ts';
import { demoCommand } from './demo.ts';
import { ingestCommand } from './ingest.ts';
import { scanCommand } from './scan.ts';
import { stopsCommand } from './stops.ts';
import { timelineCommand } from './timeline.ts';
import { whoStoppedCommand } from './who-stopped.ts';

export { runScan, scanCommand, SCAN_FORMATS } from './scan.ts';
export type { ScanCommandOptions, ScanFormat, ScanIo } from './scan.ts';
export { coverageCommand, runCoverage } from './coverage.ts';
export { demoCommand, runDemo } from './demo.ts';
export { ingestCommand, runIngest } from './ingest.ts';
export { runStops, stopsCommand } from './stops.ts';
export { runTimeline, timelineCommand } from './timeline.ts';
export { runWhoStopped, whoStoppedCommand } from './who-stopped.ts';

/** Every command, in the order `haltwatch --help` lists them. */
export const commands: ReadonlyArray<() => Command> = [
  scanCommand,
  demoCommand,
  ingestCommand,
  stopsCommand,
  whoStoppedCommand,
  timelineCommand,
  coverageCommand,
];
