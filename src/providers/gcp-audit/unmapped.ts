type JsonObject = Readonly<Record<string, unknown>>;

/*
 * Raw fields `normalize` turns into model fields. Everything else in the entry is kept in
 * `unmapped` under its dotted path, so nothing Google logged is lost (OCSF `unmapped`).
 * `severity`, `logName` and `resource.type` stay there on purpose: they tell an analyst
 * which log (activity, system event, data access) the entry came from; so does
 * `principalSubject`, which the actor holds only when there is no `principalEmail`.
 */
const MAPPED = [
  'insertId',
  'timestamp',
  'operation.id',
  'operation.first',
  'operation.last',
  'resource.labels.project_id',
  'resource.labels.zone',
  'resource.labels.instance_id',
  'protoPayload.@type',
  'protoPayload.methodName',
  'protoPayload.serviceName',
  'protoPayload.resourceName',
  'protoPayload.authenticationInfo.principalEmail',
  'protoPayload.authenticationInfo.serviceAccountKeyName',
  'protoPayload.authenticationInfo.serviceAccountDelegationInfo',
  'protoPayload.requestMetadata.callerSuppliedUserAgent',
  'protoPayload.status.code',
  'protoPayload.status.message',
];
const CALLER_IP = 'protoPayload.requestMetadata.callerIp';

function prefixesOf(paths: readonly string[]): Set<string> {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i += 1) prefixes.add(parts.slice(0, i).join('.'));
  }
  return prefixes;
}

const WITHOUT_IP = { mapped: new Set(MAPPED), prefixes: prefixesOf(MAPPED) };
const WITH_IP = {
  mapped: new Set([...MAPPED, CALLER_IP]),
  prefixes: prefixesOf([...MAPPED, CALLER_IP]),
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collect(
  value: JsonObject,
  table: { mapped: ReadonlySet<string>; prefixes: ReadonlySet<string> },
  prefix: string,
  out: Array<[string, unknown]>,
): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (table.mapped.has(path)) continue;
    if (table.prefixes.has(path) && isObject(child)) collect(child, table, path, out);
    else out.push([path, child]);
  }
}

/**
 * The fields of a LogEntry that no model field holds, by dotted path
 * (`protoPayload.request`, `receiveTimestamp`). A `callerIp` that is no address
 * (`private`, `gce-internal-ip`) is kept here because `source.ip` does not take it.
 *
 * @example
 * unmappedFields({ insertId: 'a', receiveTimestamp: 't' }, { callerIpMapped: false }); // { receiveTimestamp: 't' }
 */
export function unmappedFields(
  entry: JsonObject,
  options: { readonly callerIpMapped: boolean },
): Record<string, unknown> {
  const out: Array<[string, unknown]> = [];
  collect(entry, options.callerIpMapped ? WITH_IP : WITHOUT_IP, '', out);
  // fromEntries defines properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(out);
}
