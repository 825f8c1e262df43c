import { z } from 'zod';
import { toEpochMs } from '../../model/index.ts';

/*
 * Google's documented `LogEntry` carrying an `AuditLog` in `protoPayload`
 * (google.logging.v2.LogEntry, google.cloud.audit.AuditLog), as JSON.
 *
 * Only the fields without which an event means nothing are strict (insertId, timestamp,
 * methodName): a record without them is reported. Everything else is read when it has
 * the documented type and otherwise left out (`catch`), so one odd field never costs the
 * evidence of a stop; the raw value still reaches `unmapped`.
 */
const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);
const optionalObject = z.looseObject({}).optional().catch(undefined);

export const delegationHopSchema = z.looseObject({
  principalSubject: optionalString,
  firstPartyPrincipal: z
    .looseObject({ principalEmail: optionalString })
    .optional()
    .catch(undefined),
  thirdPartyPrincipal: z
    .looseObject({ thirdPartyClaims: optionalObject })
    .optional()
    .catch(undefined),
});
export type DelegationHop = z.infer<typeof delegationHopSchema>;

export const authenticationInfoSchema = z.looseObject({
  principalEmail: optionalString,
  principalSubject: optionalString,
  serviceAccountKeyName: optionalString,
  authoritySelector: optionalString,
  serviceAccountDelegationInfo: z.array(delegationHopSchema.catch({})).optional().catch(undefined),
});
export type AuthenticationInfo = z.infer<typeof authenticationInfoSchema>;

export const requestMetadataSchema = z.looseObject({
  callerIp: optionalString,
  callerSuppliedUserAgent: optionalString,
  callerNetwork: optionalString,
});

export const statusSchema = z.looseObject({
  code: z.number().int().optional().catch(undefined),
  message: optionalString,
});

export const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';

export const auditLogSchema = z.looseObject({
  '@type': optionalString,
  methodName: z.string().min(1),
  serviceName: optionalString,
  resourceName: optionalString,
  authenticationInfo: authenticationInfoSchema.optional().catch(undefined),
  requestMetadata: requestMetadataSchema.optional().catch(undefined),
  status: statusSchema.optional().catch(undefined),
  request: optionalObject,
});
export type AuditLog = z.infer<typeof auditLogSchema>;

export const logEntrySchema = z.looseObject({
  insertId: z.string().min(1),
  timestamp: z.string().refine((value) => toEpochMs(value) !== undefined, {
    message: 'Expected an RFC 3339 timestamp',
  }),
  logName: optionalString,
  severity: z.union([z.string(), z.number()]).optional().catch(undefined),
  resource: z
    .looseObject({ type: optionalString, labels: optionalObject })
    .optional()
    .catch(undefined),
  operation: z
    .looseObject({
      id: optionalString,
      producer: optionalString,
      first: optionalBoolean,
      last: optionalBoolean,
    })
    .optional()
    .catch(undefined),
  protoPayload: auditLogSchema,
});
export type AuditLogEntry = z.infer<typeof logEntrySchema>;
