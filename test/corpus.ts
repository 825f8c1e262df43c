import { fileURLToPath } from 'node:url';

/**
 * `../shared/corpus/` beside the checkout: real events published by others. Tests read
 * it in place; it is never copied into the project.
 */
export const corpusDir = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

export function corpusPath(relative: string): string {
  return fileURLToPath(new URL(relative, new URL('../../shared/corpus/', import.meta.url)));
}
