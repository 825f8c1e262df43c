import { z } from 'zod';

/*
 * Wrapper documents, validated with `safeParse` at the edge. Record contents stay
 * `unknown` here: every field is optional in practice and is read by `readFields`.
 */

/** Storage / Event Hub export: `{"records":[...]}`. */
export const ExportWrapperSchema = z.looseObject({ records: z.array(z.unknown()) });

/** REST `activityLogs` page, also what some tools save: `{"value":[...], "nextLink": ...}`. */
export const RestPageSchema = z.looseObject({
  value: z.array(z.unknown()),
  nextLink: z.string().nullable().optional(),
});

/** One table of a Log Analytics query API response. */
export const QueryTableSchema = z.looseObject({
  name: z.string().optional(),
  columns: z.array(z.looseObject({ name: z.string(), type: z.string().optional() })),
  rows: z.array(z.array(z.unknown())),
});
export type QueryTable = z.infer<typeof QueryTableSchema>;

/** Log Analytics query API response: `{"tables":[{name, columns, rows}]}`. */
export const QueryResponseSchema = z.looseObject({ tables: z.array(QueryTableSchema) });

/** `authorization.evidence`: how RBAC let the call through, and to whom. */
export const EvidenceSchema = z.looseObject({
  role: z.string().optional(),
  roleAssignmentScope: z.string().optional(),
  roleAssignmentId: z.string().optional(),
  roleDefinitionId: z.string().optional(),
  principalId: z.string().optional(),
  principalType: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;
