import type { ActorType, OutcomeStatus, ProviderId, StopAction } from '../model/index.ts';

/** Why the generator wrote a stop: the story an analyst should be able to tell from it. */
export type StoryLabel =
  | 'nightly-scheduler'
  | 'approved-maintenance'
  | 'incident-response'
  | 'cost-bot'
  | 'preemption'
  | 'suspicious-offhours-prod-db'
  | 'suspicious-stop-userdata-start'
  | 'suspicious-mass-stop'
  | 'suspicious-denied'
  | 'suspicious-impersonation'
  | 'suspicious-unknown-principal'
  | 'manual-power-off'
  | 'in-flight-at-month-end';

/** One stop of one instance the generator wrote: the ground truth a scan must find. */
export interface DemoStop {
  readonly cloud: ProviderId;
  readonly story: StoryLabel;
  /** Whether an analyst should want to look at it. */
  readonly suspicious: boolean;
  readonly action: StopAction;
  /** The instance as its log names it: `i-…`, GCP numeric instance id, Azure resource id. */
  readonly instance: string;
  /** Human name: AWS `Name` tag, GCP instance name, Azure VM name. */
  readonly instanceName: string;
  /** AWS account, GCP project, Azure subscription. */
  readonly scope: string;
  /** Region or zone. */
  readonly location: string;
  /** ISO time of the request (the first record of the operation). */
  readonly time: string;
  readonly actor: {
    readonly type: ActorType;
    /** Stable id: ARN, email, object id; absent when no API caller exists. */
    readonly id?: string;
    readonly name?: string;
    /** Ids behind the actor, nearest first (impersonation, role issuer). */
    readonly chain: readonly string[];
  };
  readonly sourceIp?: string;
  readonly outcome: OutcomeStatus;
  readonly errorCode?: string;
  /** Provider request/operation id tying the records of the stop together. */
  readonly operationId: string;
  /**
   * Who really acted, where only other records say it (the user who opened the role
   * session): what `scan --resolve` and the store must name.
   */
  readonly origin?: string;
}

export interface DemoManifest {
  readonly generator: 'haltwatch-demo';
  readonly version: 2;
  readonly seed: number;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly scale: number;
  /** Folder, relative to the demo directory, holding the logs to scan. */
  readonly logs: string;
  readonly files: Readonly<Record<ProviderId, number>>;
  /** Audit records written per cloud (digests and other non-record files excluded). */
  readonly records: Readonly<Record<ProviderId, number>>;
  readonly stops: readonly DemoStop[];
}
