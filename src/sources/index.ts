/**
 * @module
 * Sources: which files to read (`listInputs`) and the JSON documents inside each one
 * (`readDocuments`), cut out of the raw or gunzipped bytes without parsing them, with a
 * needle prefilter so the pipeline parses only the documents that can matter.
 */
export * from './types.ts';
export { listInputs, isInputIssue } from './list-inputs.ts';
export { readDocuments } from './read-documents.ts';
export { JsonFramer, WRAPPER_KEYS } from './json-framer.ts';
export type { FramedLayout, FramerOutput, JsonFramerOptions } from './json-framer.ts';
export { NeedleIndex } from './needle-index.ts';
