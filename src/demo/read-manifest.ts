import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DemoManifest } from './demo-manifest.ts';

/* Only what deciding to reuse a directory needs; the stop list is trusted as the generator wrote it. */
const Header = z.object({
  generator: z.literal('haltwatch-demo'),
  version: z.literal(2),
  seed: z.number().int(),
  month: z.string(),
  scale: z.number(),
  logs: z.string(),
  stops: z.array(z.unknown()),
});

/**
 * The manifest of a demo directory written earlier, or `undefined` when there is none or
 * it is not a demo manifest (then the caller regenerates).
 *
 * @example
 * const previous = await readDemoManifest('./demo-data');
 */
export async function readDemoManifest(dir: string): Promise<DemoManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Header.safeParse(json).success ? (json as DemoManifest) : undefined;
}
