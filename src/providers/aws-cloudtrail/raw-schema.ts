import { z } from 'zod';

/*
 * The CloudTrail record fields haltwatch maps, as AWS documents them ("CloudTrail record
 * contents" and "CloudTrail userIdentity element"). Objects are loose: AWS adds fields
 * over time, and the ones not read here are kept in `unmapped`, never rejected. Booleans
 * come both as JSON booleans and as the strings "true"/"false".
 */

const text = z.string();
const flag = z.union([z.boolean(), z.literal('true'), z.literal('false')]);

export const sessionIssuerSchema = z.looseObject({
  type: text.optional(),
  principalId: text.optional(),
  arn: text.optional(),
  accountId: text.optional(),
  userName: text.optional(),
});

export const sessionContextSchema = z.looseObject({
  attributes: z
    .looseObject({ creationDate: text.optional(), mfaAuthenticated: flag.optional() })
    .nullish(),
  sessionIssuer: sessionIssuerSchema.nullish(),
  sourceIdentity: text.optional(),
  webIdFederationData: z.looseObject({ federatedProvider: text.optional() }).nullish(),
});

export const userIdentitySchema = z.looseObject({
  type: text.optional(),
  principalId: text.optional(),
  arn: text.optional(),
  accountId: text.optional(),
  accessKeyId: text.optional(),
  userName: text.optional(),
  invokedBy: text.optional(),
  identityProvider: text.optional(),
  sessionContext: sessionContextSchema.nullish(),
  onBehalfOf: z
    .looseObject({ userId: text.optional(), identityStoreArn: text.optional() })
    .nullish(),
});

export type RawUserIdentity = z.infer<typeof userIdentitySchema>;

/** One CloudTrail record: the fields an `AuditEvent` is built from. */
export const rawRecordSchema = z.looseObject({
  eventName: text.min(1),
  eventSource: text.min(1),
  eventID: text.min(1),
  eventTime: text.optional(),
  // Logstash forwarders move the record time here and may drop `eventTime`.
  '@timestamp': text.optional(),
  awsRegion: text.optional(),
  recipientAccountId: text.optional(),
  requestID: text.optional(),
  errorCode: text.optional(),
  errorMessage: text.optional(),
  sourceIPAddress: text.optional(),
  userAgent: text.optional(),
  sessionCredentialFromConsole: flag.optional(),
  userIdentity: userIdentitySchema.nullish(),
  // Read field by field where needed: their content depends on the API called.
  requestParameters: z.unknown().optional(),
  responseElements: z.unknown().optional(),
  additionalEventData: z.unknown().optional(),
});

export type RawRecord = z.infer<typeof rawRecordSchema>;
