import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { HOUR, parseMonth } from './_calendar.ts';
import { awsMonth } from './aws-month.ts';
import { azureMonth } from './azure-month.ts';
import { contextSketch } from './context-sketch.ts';
import type { DemoManifest } from './demo-manifest.ts';
import { gcpMonth } from './gcp-month.ts';
import { readDemoManifest } from './read-manifest.ts';
import { Random } from './random.ts';
import { writeAwsTree } from './write-aws-tree.ts';
import { writeAzureTree } from './write-azure-tree.ts';
import { writeGcpTree } from './write-gcp-tree.ts';

export interface DemoOptions {
  readonly seed?: number;
  /** `YYYY-MM`, UTC. */
  readonly month?: string;
  /** Multiplies the noise; stories stay the same size. */
  readonly scale?: number;
}

export const DEMO_DEFAULTS = {
  seed: 20_891,
  month: '2025-11',
  scale: 1,
} as const satisfies Required<DemoOptions>;

/** The logs folder inside a demo directory; the manifest and context sit beside it. */
export const DEMO_LOGS = 'logs';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The generator replaces `<dir>/logs/`: refuse when something there was not written by it,
 * so a mistyped `--dir` never deletes a user's own folder.
 */
async function assertOursToReplace(dir: string): Promise<void> {
  const taken = (await exists(join(dir, DEMO_LOGS))) || (await exists(join(dir, 'manifest.json')));
  if (taken && !(await readDemoManifest(dir))) {
    throw new UsageError(
      `Cannot write demo data into "${dir}": it already holds a "${DEMO_LOGS}" folder or a "manifest.json" the demo did not write; choose another directory`,
    );
  }
}

/**
 * Writes a deterministic month of multi-cloud audit logs in their native export layouts
 * under `<dir>/logs/` (AWS S3 tree, GCS sink tree, Azure storage tree), the ground truth
 * `manifest.json` listing every stop written, and a `context.yaml` sketch. The same
 * options always give byte-identical files. Replaces `<dir>/logs/` when an earlier demo
 * wrote it, and refuses to touch a directory holding anything else under those names.
 *
 * @example
 * const manifest = await generateDemo('./demo-data', { seed: 7 });
 * console.log(manifest.stops.length);
 */
export async function generateDemo(dir: string, options: DemoOptions = {}): Promise<DemoManifest> {
  const {
    seed,
    month: label,
    scale,
  } = { ...DEMO_DEFAULTS, ...options } satisfies Required<DemoOptions>;
  const month = parseMonth(label);
  if (!month)
    throw new UsageError(`Cannot generate demo data for month "${label}": use the form YYYY-MM`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new UsageError(
      `Cannot generate demo data with seed "${seed}": use an integer from 0 to 4294967295`,
    );
  }
  if (!(scale > 0 && scale <= 1000))
    throw new UsageError(
      `Cannot generate demo data at scale "${scale}": use a number above 0 and at most 1000`,
    );

  const root = new Random(seed);
  const aws = awsMonth(root.fork('aws'), month, scale);
  const gcp = gcpMonth(root.fork('gcp'), month, scale);
  const azure = azureMonth(root.fork('azure'), month, scale);

  const logs = join(dir, DEMO_LOGS);
  await assertOursToReplace(dir);
  await rm(logs, { recursive: true, force: true });
  await mkdir(logs, { recursive: true });
  // CloudTrail delivers every few minutes; fewer, longer windows keep a small demo small.
  const window = Math.min(24 * HOUR, Math.max(HOUR, (4 * HOUR) / scale));
  const awsTree = await writeAwsTree(join(logs, 'aws'), aws.records, root.fork('aws-tree'), window);
  const gcpTree = await writeGcpTree(join(logs, 'gcp'), gcp.entries);
  const azureTree = await writeAzureTree(join(logs, 'azure'), azure.records);

  const manifest: DemoManifest = {
    generator: 'haltwatch-demo',
    version: 2,
    seed,
    month: label,
    scale,
    logs: DEMO_LOGS,
    files: { aws: awsTree.files, gcp: gcpTree.files, azure: azureTree.files },
    records: { aws: awsTree.records, gcp: gcpTree.records, azure: azureTree.records },
    stops: [...aws.stops, ...gcp.stops, ...azure.stops].sort((a, b) =>
      a.time < b.time ? -1 : a.time > b.time ? 1 : 0,
    ),
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeFile(join(dir, 'context.yaml'), contextSketch(aws, gcp, azure, label));
  return manifest;
}
