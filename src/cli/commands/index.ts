/**
 * @module
 * The commands of `haltwatch`, listed by hand: a new command is added here, never found by
 * scanning the folder.
 */
import type { Command } from 'commander';
import { demoCommand } from './demo.ts';
import { scanCommand } from './scan.ts';

export { runScan, scanCommand, SCAN_FORMATS } from './scan.ts';
export type { ScanCommandOptions, ScanFormat, ScanIo } from './scan.ts';
export { demoCommand, runDemo } from './demo.ts';

/** Every command, in the order `haltwatch --help` lists them. */
export const commands: ReadonlyArray<() => Command> = [scanCommand, demoCommand];
