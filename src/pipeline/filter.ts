import { UsageError } from '../errors.ts';
import type {
  Actor,
  AuditEvent,
  EpochMs,
  InstanceStop,
  ProviderId,
  NamePattern,
  Target,
} from '../model/index.ts';
import { actorMatches, namePattern } from '../model/index.ts';

/** What `--since --until --provider --account --instance --actor` narrowed the output to. */
export interface Filter {
  /** Inclusive lower bound. */
  readonly since?: EpochMs;
  /** Inclusive upper bound. */
  readonly until?: EpochMs;
  readonly provider?: ProviderId;
  /** AWS account, GCP project or Azure subscription; exact, letter case ignored. */
  readonly account?: string;
  /** Instance id, resource id or name; a substring is enough, letter case ignored. */
  readonly instance?: string;
  /**
   * Actor id, name, session, source identity or any hop of the chain: whole words, case
   * ignored, `*` for any characters (`namePattern`).
   */
  readonly actor?: string;
}

/** The text a user types on the command line, before it is checked. */
export interface FilterText {
  readonly since?: string;
  readonly until?: string;
  readonly provider?: string;
  readonly account?: string;
  readonly instance?: string;
  readonly actor?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Component names are accepted too, so `--provider aws-cloudtrail` is not a usage error. */
const PROVIDER_ALIASES: Readonly<Record<string, ProviderId>> = {
  aws: 'aws',
  'aws-cloudtrail': 'aws',
  cloudtrail: 'aws',
  gcp: 'gcp',
  'gcp-audit': 'gcp',
  google: 'gcp',
  azure: 'azure',
  'azure-activity': 'azure',
};

/**
 * Reads a time bound: ISO 8601 (`2024-08-01`, `2024-08-01T12:00:00Z`) or a duration back
 * from `now` (`90m`, `12h`, `7d`, `2w`). A date without a zone is UTC, so a run gives the
 * same answer on every machine.
 *
 * @example
 * parseTimeBound('7d', 'since', Date.now() as EpochMs);
 */
export function parseTimeBound(text: string, option: string, now: EpochMs): EpochMs {
  const trimmed = text.trim();
  const relative = /^(\d+)\s*([smhdw])$/i.exec(trimmed);
  if (relative) {
    return (now - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!) as EpochMs;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    // A bare date or a time without an offset means UTC, not the machine's zone.
    const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed.slice(10)) || trimmed.length === 10;
    const ms = Date.parse(zoned ? trimmed : `${trimmed}Z`);
    if (Number.isFinite(ms)) return ms as EpochMs;
  }
  throw new UsageError(
    `Cannot read --${option} "${text}": use an ISO 8601 time (2024-08-01T12:00:00Z) or a duration such as 7d, 12h, 30m`,
  );
}

/**
 * Checks the command-line filter text and turns it into a `Filter`.
 *
 * @example
 * parseFilter({ since: '7d', provider: 'aws' }, Date.now() as EpochMs);
 */
export function parseFilter(text: FilterText, now: EpochMs): Filter {
  const filter: {
    since?: EpochMs;
    until?: EpochMs;
    provider?: ProviderId;
    account?: string;
    instance?: string;
    actor?: string;
  } = {};
  if (text.since !== undefined) filter.since = parseTimeBound(text.since, 'since', now);
  if (text.until !== undefined) filter.until = parseTimeBound(text.until, 'until', now);
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new UsageError(`Cannot filter: --since "${text.since}" is after --until "${text.until}"`);
  }
  if (text.provider !== undefined) {
    const provider = PROVIDER_ALIASES[text.provider.trim().toLowerCase()];
    if (!provider) {
      throw new UsageError(`Unknown provider "${text.provider}": use one of aws, gcp, azure`);
    }
    filter.provider = provider;
  }
  if (text.account) filter.account = text.account.trim().toLowerCase();
  if (text.instance) filter.instance = text.instance.trim().toLowerCase();
  if (text.actor) filter.actor = text.actor.trim().toLowerCase();
  return filter;
}

function contains(value: string | undefined, needle: string): boolean {
  return value !== undefined && value.toLowerCase().includes(needle);
}

function matchesTarget(target: Target, needle: string): boolean {
  return contains(target.uid, needle) || contains(target.name, needle);
}

/** The pattern of the last `--actor` text seen: one filter is applied to every item. */
let lastPattern: { text: string; pattern: NamePattern } | undefined;

function actorPattern(text: string): NamePattern {
  if (lastPattern?.text !== text) lastPattern = { text, pattern: namePattern(text) };
  return lastPattern.pattern;
}

function matchesActor(actor: Actor, text: string): boolean {
  return actorMatches(actor, actorPattern(text));
}

interface Filterable {
  readonly provider: ProviderId;
  readonly time: EpochMs;
  readonly scope: { readonly account?: string };
  readonly actor: Actor;
}

function matchesCommon(item: Filterable, filter: Filter): boolean {
  if (filter.since !== undefined && item.time < filter.since) return false;
  if (filter.until !== undefined && item.time > filter.until) return false;
  if (filter.provider !== undefined && item.provider !== filter.provider) return false;
  if (filter.account !== undefined && item.scope.account?.toLowerCase() !== filter.account) {
    return false;
  }
  if (filter.actor !== undefined && !matchesActor(item.actor, filter.actor)) return false;
  return true;
}

/**
 * Whether a stop passes every part of the filter.
 *
 * @example
 * stops.filter((stop) => matchesStop(stop, { provider: 'aws' }));
 */
export function matchesStop(stop: InstanceStop, filter: Filter): boolean {
  if (!matchesCommon(stop, filter)) return false;
  return filter.instance === undefined || matchesTarget(stop.instance, filter.instance);
}

/** Whether an event passes the filter; `--instance` matches any of its targets. */
export function matchesEvent(event: AuditEvent, filter: Filter): boolean {
  if (!matchesCommon(event, filter)) return false;
  return (
    filter.instance === undefined || event.targets.some((t) => matchesTarget(t, filter.instance!))
  );
}
