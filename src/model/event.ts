import type { EpochMs } from './ids.ts';
import type { RawPointer } from './raw-pointer.ts';

/** The three clouds. Provider names stay here and in `providers/`; rules see only this. */
export type ProviderId = 'aws' | 'gcp' | 'azure';

/**
 * What an event did, independent of the cloud. Stops come in five kinds because they are
 * different facts: a deallocated Azure VM stops billing, a powered-off one does not; a
 * hibernated or suspended instance keeps its memory.
 */
export type Action =
  | 'instance.stop'
  | 'instance.deallocate'
  | 'instance.power_off'
  | 'instance.suspend'
  | 'instance.hibernate'
  | 'instance.start'
  | 'instance.resume'
  | 'instance.reboot'
  | 'instance.terminate'
  | 'instance.modify'
  | 'instance.state_change'
  | 'identity.assume'
  | 'identity.login'
  | 'logging.change';

export const STOP_ACTIONS = [
  'instance.stop',
  'instance.deallocate',
  'instance.power_off',
  'instance.suspend',
  'instance.hibernate',
] as const satisfies readonly Action[];
export type StopAction = (typeof STOP_ACTIONS)[number];

export function isStopAction(action: Action): action is StopAction {
  return (STOP_ACTIONS as readonly Action[]).includes(action);
}

/**
 * Why the event happened. Most are API calls; GCP also records stops no caller asked for
 * (the guest shut down, the VM was preempted, the host failed or went into maintenance),
 * and AWS sends state-change notifications that are no API call at all.
 */
export type Cause =
  | 'api_call'
  | 'guest_os'
  | 'preemption'
  | 'host_error'
  | 'host_maintenance'
  | 'system_restart'
  | 'state_notification';

/** `accepted`: the cloud took the request and the log ends before it says how it ended. */
export type OutcomeStatus = 'success' | 'failure' | 'accepted' | 'in_progress' | 'unknown';

export interface Outcome {
  readonly status: OutcomeStatus;
  /** Provider error code (`Client.UnauthorizedOperation`, `PERMISSION_DENIED`, `AuthorizationFailed`). */
  readonly code?: string;
  readonly message?: string;
}

/**
 * Phase of a long-running operation. One API call can leave several records (Azure
 * Started/Accepted/Succeeded, GCP operation first/last); they merge into one stop.
 */
export type Phase = 'single' | 'begin' | 'accepted' | 'end';

export type ActorType =
  | 'user'
  | 'root'
  | 'assumed_role'
  | 'federated_user'
  | 'service'
  | 'service_account'
  | 'service_principal'
  | 'managed_identity'
  | 'provider_system'
  | 'unknown';

/** One hop of delegation behind the acting identity, nearest first. */
export interface ChainHop {
  readonly type: ActorType;
  /** Stable id: ARN, email, object id, app id. */
  readonly id: string;
  readonly name?: string;
  /** How this hop handed on its authority. */
  readonly via:
    | 'assume_role'
    | 'role_chaining'
    | 'sso'
    | 'saml'
    | 'web_identity'
    | 'federation_token'
    | 'session_token'
    | 'impersonation'
    | 'managed_identity'
    | 'application'
    | 'service';
}

export interface Session {
  /** AWS role session name, the part after the last `/` of an assumed-role ARN. */
  readonly name?: string;
  /** The role (AWS `sessionIssuer.arn`) or principal that issued the session. */
  readonly issuer?: string;
  readonly issuerType?: string;
  readonly createdAt?: EpochMs;
  readonly mfa?: boolean;
  /** AWS `sourceIdentity`: set by the first caller and carried through role chaining. */
  readonly sourceIdentity?: string;
  /** The temporary credential used (AWS `ASIA…`), the key that links a session to its issuer. */
  readonly accessKeyId?: string;
  /** Console session (AWS `sessionCredentialFromConsole`). */
  readonly console?: boolean;
}

export interface Actor {
  readonly type: ActorType;
  /** Stable id of the acting principal (ARN, principalId, email, object id). */
  readonly id?: string;
  /** What a person calls it: user name, role/session, UPN, display name. */
  readonly name?: string;
  /** Account / project / tenant the principal belongs to, when not the target's. */
  readonly account?: string;
  readonly session?: Session;
  /** Delegation behind the actor, nearest hop first (GCP impersonation, AWS role chain). */
  readonly chain: readonly ChainHop[];
  /** AWS service that made the call on the actor's behalf (`invokedBy`). */
  readonly invokedBy?: string;
  /**
   * Set when the log does not say who acted: which field was missing or empty. This is a
   * coverage fact to report, never an empty string to print.
   */
  readonly gap?: string;
}

/** How the call was made, read from the user agent and the source address. */
export type ClientKind =
  | 'console'
  | 'cli'
  | 'sdk'
  | 'iac'
  | 'cloud_service'
  | 'scheduler'
  | 'unknown';

export interface SourceEndpoint {
  readonly ip?: string;
  /** A cloud service acting as the caller (`autoscaling.amazonaws.com` as source address). */
  readonly service?: string;
  /** Untrusted text: escape in HTML, neutralise in CSV. */
  readonly userAgent?: string;
  readonly clientKind: ClientKind;
}

/** Where the action happened: AWS account, GCP project, Azure subscription (+ group). */
export interface Scope {
  readonly account?: string;
  readonly resourceGroup?: string;
  readonly region?: string;
  readonly zone?: string;
}

export type TargetType = 'instance' | 'scale_set_instance' | 'role' | 'trail' | 'log_sink' | 'other';

export interface Target {
  readonly type: TargetType;
  /** Instance id (AWS `i-…`), GCP instance id or resource name, Azure resource id. */
  readonly uid: string;
  readonly name?: string;
  readonly zone?: string;
  /** State before/after the call when the log says (CloudTrail `previousState`). */
  readonly stateBefore?: string;
  readonly stateAfter?: string;
}

/** Credentials an identity event handed out: the link from a later session to its issuer. */
export interface IssuedCredential {
  readonly accessKeyId?: string;
  /** ARN of the assumed-role session the credential acts as. */
  readonly sessionArn?: string;
  readonly sessionName?: string;
  readonly sourceIdentity?: string;
  readonly expiresAt?: EpochMs;
}

/** One control-plane action after normalization. Never mutated after it is built. */
export interface AuditEvent {
  /** Stable and unique across runs: `<provider>:<provider event id>[:<phase>]`. */
  readonly id: string;
  readonly provider: ProviderId;
  readonly action: Action;
  /** The provider's own operation label (`StopInstances`, `v1.compute.instances.stop`, …). */
  readonly operation: string;
  /** Provider service (`ec2.amazonaws.com`, `compute.googleapis.com`, `Microsoft.Compute`). */
  readonly service: string;
  readonly time: EpochMs;
  readonly cause: Cause;
  readonly phase: Phase;
  readonly outcome: Outcome;
  readonly scope: Scope;
  readonly actor: Actor;
  readonly source: SourceEndpoint;
  readonly targets: readonly Target[];
  /** Provider event id: CloudTrail `eventID`, GCP `insertId`, Azure `eventDataId`. */
  readonly eventId?: string;
  /** Ties phases together: Azure `correlationId`, GCP `operation.id`, CloudTrail `requestID`. */
  readonly correlationId?: string;
  /** Request options that change what a stop means (`force`, `hibernate`, `discardLocalSsd`). */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
  readonly issued?: IssuedCredential;
  /** Source fields not mapped above, kept so nothing the cloud said is lost. */
  readonly unmapped: Readonly<Record<string, unknown>>;
  readonly raw: RawPointer;
}

/**
 * The evidence record: one per instance per stop action, after merging the phases of one
 * operation and splitting multi-instance calls.
 */
export interface InstanceStop {
  /** Stable: `<provider>:<operation key>:<instance uid>`. */
  readonly id: string;
  readonly provider: ProviderId;
  readonly action: StopAction;
  readonly operation: string;
  readonly cause: Cause;
  /** Time of the first phase seen (the request). */
  readonly time: EpochMs;
  /** Time of the last phase seen, when there are several. */
  readonly endTime?: EpochMs;
  /** The final phase's outcome. */
  readonly outcome: Outcome;
  readonly instance: Target;
  readonly scope: Scope;
  readonly actor: Actor;
  readonly source: SourceEndpoint;
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
  readonly correlationId?: string;
  /** The `AuditEvent.id`s merged into this stop. */
  readonly eventIds: readonly string[];
  readonly raws: readonly RawPointer[];
}
