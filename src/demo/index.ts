/**
 * @module
 * The demo data generator: a seeded, deterministic month of AWS CloudTrail, Google Cloud
 * Audit Logs and Azure Activity Log exports in their native layouts, with the ground truth
 * of every stop it wrote.
 */
export * from './generate-demo.ts';
export * from './demo-manifest.ts';
export * from './read-manifest.ts';
