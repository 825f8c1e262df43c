/**
 * Row types of the store, one interface per table. Times are epoch milliseconds in
 * `bigint` columns; whole records are kept as JSON text so both engines store the same
 * bytes (no engine-specific JSON type).
 */
export interface FilesTable {
  /** SHA-256 of the file's bytes: the same content under another name is the same file. */
  hash: string;
  path: string;
  size: number;
  status: 'in_progress' | 'done';
  records: number;
  events: number;
}

export interface EventsTable {
  id: string;
  provider: string;
  action: string;
  operation: string;
  time: number;
  account: string | null;
  region: string | null;
  actor_id: string | null;
  actor_name: string | null;
  /** Who the record itself says is behind the call (GCP original caller, SSO user, `sourceIdentity`). */
  principal: string | null;
  /** The temporary credential used (`ASIA…`): the join key to `credentials`. */
  access_key: string | null;
  json: string;
}

/** The hours in which an actor id or principal acted: where identity timelines look. */
export interface ActivityTable {
  who: string;
  hour: number;
}

/** Which instance(s) an event touched, and for stop events the key of the stop it feeds. */
export interface EventInstancesTable {
  event_id: string;
  instance_uid: string;
  instance_name: string | null;
  time: number;
  /** `time` in whole UTC days since 1970: the leading key of the instance indexes. */
  day: number;
  stop_key: string | null;
}

export interface StopsTable {
  key: string;
  provider: string;
  action: string;
  time: number;
  account: string | null;
  instance_uid: string;
  instance_name: string | null;
  actor_id: string | null;
  actor_name: string | null;
  principal: string | null;
  access_key: string | null;
  outcome: string;
  json: string;
}

/** The compact remainder of a role-issuing event: which identity received which key. */
export interface CredentialsTable {
  access_key: string;
  event_id: string;
  provider: string;
  operation: string;
  time: number;
  expires_at: number | null;
  session_arn: string | null;
  session_name: string | null;
  source_identity: string | null;
  issuer_id: string | null;
  issuer_name: string | null;
  /** The issuer's own temporary key, when the issuer was itself a session (role chaining). */
  issuer_key: string | null;
  /** The issuing `Actor`, as JSON. */
  issuer: string;
  /** The issuing record's `RawPointer`, as JSON. */
  raw: string;
}

export interface CoverageTable {
  provider: string;
  account: string;
  region: string;
  hour: number;
  file_hash: string;
  records: number;
}

export interface DirectoryTable {
  /** Object id, app id or any other stable principal id. */
  principal_id: string;
  /** `export` (a `--directory` file) beats `claims` (names seen on other events). */
  source: 'export' | 'claims';
  name: string;
  /** Time of the record the name was read from (claims); 0 for an export. */
  seen: number;
}

/** Each actor id seen, with a name for it: the way from a user name to its ids. */
export interface ActorsTable {
  id: string;
  name: string;
}

export interface Database {
  activity: ActivityTable;
  actors: ActorsTable;
  files: FilesTable;
  events: EventsTable;
  event_instances: EventInstancesTable;
  stops: StopsTable;
  credentials: CredentialsTable;
  coverage: CoverageTable;
  directory: DirectoryTable;
}
