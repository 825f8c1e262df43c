import { isObject, text } from './_values.ts';

/**
 * The record shapes Azure and its tools write:
 * - `azure-export`: diagnostic-settings export to storage (`PT1H.json`) or Event Hub
 *   (`{"records":[...]}`), `operationName` a string, identity under `identity`;
 * - `azure-cli`: `az monitor activity-log list` and the REST API (`{"value":[...]}`),
 *   camelCase with `{value, localizedValue}` pairs;
 * - `azure-sdk`: the Python SDK's `as_dict()` snake_case records;
 * - `azure-log-analytics`: `AzureActivity` table rows (query API or flat, JSON or CSV).
 */
export type RecordShape = 'azure-export' | 'azure-cli' | 'azure-sdk' | 'azure-log-analytics';

function has(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(record, key) && record[key] !== undefined && record[key] !== null;
}

/**
 * Tells which shape a single record has, or `undefined` when it is no Activity Log record.
 * Checks distinctive keys only, so a CloudTrail or GCP record is never taken for Azure.
 */
export function detectShape(record: unknown): RecordShape | undefined {
  if (!isObject(record)) return undefined;
  if (
    has(record, 'OperationNameValue') ||
    has(record, 'ActivityStatusValue') ||
    record['Type'] === 'AzureActivity' ||
    (has(record, 'OperationName') &&
      (has(record, 'TimeGenerated') || has(record, 'TimeGenerated [UTC]')))
  ) {
    return 'azure-log-analytics';
  }
  if (
    has(record, 'operation_name') &&
    (has(record, 'event_timestamp') ||
      has(record, 'event_data_id') ||
      has(record, 'correlation_id'))
  ) {
    return 'azure-sdk';
  }
  const operation = record['operationName'];
  if (isObject(operation) && text(operation) !== undefined) return 'azure-cli';
  if (
    typeof operation === 'string' &&
    has(record, 'time') &&
    (has(record, 'resourceId') ||
      has(record, 'resultType') ||
      has(record, 'identity') ||
      has(record, 'category'))
  ) {
    return 'azure-export';
  }
  if (
    typeof operation === 'string' &&
    (has(record, 'eventTimestamp') || has(record, 'eventDataId'))
  ) {
    return 'azure-cli';
  }
  return undefined;
}
