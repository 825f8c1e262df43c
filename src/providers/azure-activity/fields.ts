import { at, isObject, object, text, type JsonObject } from './_values.ts';
import type { RecordShape } from './shape.ts';

/** The fields haltwatch reads, whatever the shape spelled them; all optional (untrusted). */
export interface ActivityFields {
  readonly operationName?: string;
  readonly status?: string;
  readonly subStatus?: string;
  readonly eventName?: string;
  readonly time?: unknown;
  readonly resourceId?: string;
  readonly resourceGroup?: string;
  readonly subscriptionId?: string;
  readonly tenantId?: string;
  readonly region?: string;
  readonly caller?: string;
  readonly callerIp?: string;
  readonly correlationId?: string;
  readonly eventDataId?: string;
  readonly claims?: JsonObject;
  readonly authorization?: JsonObject;
  readonly properties?: JsonObject;
  readonly httpRequest?: JsonObject;
  /** The field name this shape uses, for messages that point at the right key. */
  readonly names: FieldNames;
  /** Top-level keys read into the fields above; the rest is kept as unmapped. */
  readonly mappedKeys: ReadonlySet<string>;
}

type TextField =
  | 'operationName'
  | 'status'
  | 'subStatus'
  | 'eventName'
  | 'resourceId'
  | 'resourceGroup'
  | 'subscriptionId'
  | 'tenantId'
  | 'region'
  | 'caller'
  | 'callerIp'
  | 'correlationId'
  | 'eventDataId';
type ObjectField = 'claims' | 'authorization' | 'properties' | 'httpRequest';
type Field = TextField | ObjectField | 'time';

/** Candidate paths per field, first found wins. */
type Paths = Readonly<Partial<Record<Field, readonly (readonly string[])[]>>>;
export type FieldNames = Readonly<Record<'operationName' | 'time' | 'resourceId', string>>;

const CAMEL: Paths = {
  operationName: [['operationName']],
  status: [['status']],
  subStatus: [['subStatus']],
  eventName: [['eventName']],
  time: [['eventTimestamp'], ['submissionTimestamp']],
  resourceId: [['resourceId']],
  resourceGroup: [['resourceGroupName']],
  subscriptionId: [['subscriptionId']],
  tenantId: [['tenantId']],
  region: [['location']],
  caller: [['caller']],
  callerIp: [['httpRequest', 'clientIpAddress'], ['callerIpAddress']],
  correlationId: [['correlationId']],
  eventDataId: [['eventDataId']],
  claims: [['claims']],
  authorization: [['authorization']],
  properties: [['properties']],
  httpRequest: [['httpRequest']],
};

const SHAPES: Readonly<Record<RecordShape, { paths: Paths; names: FieldNames }>> = {
  'azure-export': {
    names: { operationName: 'operationName', time: 'time', resourceId: 'resourceId' },
    paths: {
      operationName: [['operationName']],
      status: [['resultType']],
      subStatus: [['resultSignature']],
      time: [['time']],
      resourceId: [['resourceId']],
      subscriptionId: [['subscriptionId']],
      tenantId: [['tenantId']],
      region: [['location']],
      callerIp: [['callerIpAddress']],
      correlationId: [['correlationId']],
      eventDataId: [['eventDataId'], ['properties', 'eventDataId']],
      claims: [['identity', 'claims']],
      authorization: [['identity', 'authorization']],
      properties: [['properties']],
    },
  },
  'azure-cli': {
    names: {
      operationName: 'operationName.value',
      time: 'eventTimestamp',
      resourceId: 'resourceId',
    },
    paths: CAMEL,
  },
  'azure-sdk': {
    names: {
      operationName: 'operation_name.value',
      time: 'event_timestamp',
      resourceId: 'resource_id',
    },
    paths: {
      operationName: [['operation_name']],
      status: [['status']],
      subStatus: [['sub_status']],
      eventName: [['event_name']],
      time: [['event_timestamp'], ['submission_timestamp']],
      resourceId: [['resource_id']],
      resourceGroup: [['resource_group_name']],
      subscriptionId: [['subscription_id']],
      tenantId: [['tenant_id']],
      region: [['location']],
      caller: [['caller']],
      callerIp: [['http_request', 'client_ip_address'], ['caller_ip_address']],
      correlationId: [['correlation_id']],
      eventDataId: [['event_data_id']],
      claims: [['claims']],
      authorization: [['authorization']],
      properties: [['properties']],
      httpRequest: [['http_request']],
    },
  },
  'azure-log-analytics': {
    names: {
      operationName: 'OperationNameValue',
      time: 'TimeGenerated',
      resourceId: '_ResourceId',
    },
    paths: {
      // `OperationName` is the localized label ("Deallocate Virtual Machine"); the value first.
      operationName: [['OperationNameValue'], ['OperationName']],
      status: [['ActivityStatusValue'], ['ActivityStatus']],
      subStatus: [['ActivitySubstatusValue'], ['ActivitySubstatus']],
      time: [['TimeGenerated'], ['EventSubmissionTimestamp']],
      resourceId: [['_ResourceId'], ['ResourceId']],
      resourceGroup: [['ResourceGroup']],
      subscriptionId: [['SubscriptionId']],
      tenantId: [['TenantId']],
      caller: [['Caller']],
      callerIp: [['CallerIpAddress'], ['HTTPRequest', 'clientIpAddress']],
      correlationId: [['CorrelationId']],
      eventDataId: [['EventDataId']],
      claims: [['Claims_d'], ['Claims']],
      authorization: [['Authorization_d'], ['Authorization']],
      properties: [['Properties_d'], ['Properties']],
      httpRequest: [['HTTPRequest']],
    },
  },
};

/*
 * Log Analytics CSV exports from the portal suffix time columns with " [UTC]"; reading
 * through this view lets one path table serve both.
 */
function withoutUtcSuffix(record: JsonObject): JsonObject {
  const keys = Object.keys(record);
  if (!keys.some((key) => key.endsWith(' [UTC]'))) return record;
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key.endsWith(' [UTC]') ? key.slice(0, -6) : key] = record[key];
  return copy;
}

/**
 * Reads one record of a known shape into `ActivityFields`. Never throws; a field of the
 * wrong type is simply absent, and the caller reports the absence.
 */
export function readFields(shape: RecordShape, raw: unknown): ActivityFields {
  const record = isObject(raw) ? withoutUtcSuffix(raw) : {};
  const { paths, names } = SHAPES[shape];
  const mappedKeys = new Set<string>();
  const values: Partial<Record<Field, unknown>> = {};
  for (const [field, candidates] of Object.entries(paths) as [
    Field,
    readonly (readonly string[])[],
  ][]) {
    for (const path of candidates) {
      const value = at(record, path);
      const read =
        field === 'claims' ||
        field === 'authorization' ||
        field === 'properties' ||
        field === 'httpRequest'
          ? object(value)
          : field === 'time'
            ? typeof value === 'string' || typeof value === 'number'
              ? value
              : undefined
            : text(value);
      if (read === undefined) continue;
      values[field] = read;
      mappedKeys.add(path[0]!);
      break;
    }
  }
  return { ...(values as Omit<ActivityFields, 'names' | 'mappedKeys'>), names, mappedKeys };
}
