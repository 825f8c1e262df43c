/**
 * @module
 * Sources: which files to read (`listInputs`) and the JSON documents inside each one
 * (`readDocuments`), cut out of the raw or gunzipped bytes without parsing them, with a
 * needle prefilter so the pipeline parses only the documents that can matter.
 *
 * Speed comes from three places: a WebAssembly SIMD structural index (`structural-index.ts`)
 * so the framer visits only the brackets outside strings, a one-pass multi-needle search
 * over whole chunks (`multi-needle-search.ts`), and JSON lines with no needle being
 * counted without being framed. `npx tsx bench/framing/framer.ts` measures them;
 * `npx tsx bench/framing/memory.ts` measures peak memory on 2 GB files.
 */
export * from './types.ts';
export { listInputs, isInputIssue } from './list-inputs.ts';
export { readDocuments } from './read-documents.ts';
export { JsonFramer, WRAPPER_KEYS } from './json-framer.ts';
export type { FramedLayout, FramerOutput, JsonFramerOptions } from './json-framer.ts';
export { NeedleIndex } from './needle-index.ts';
