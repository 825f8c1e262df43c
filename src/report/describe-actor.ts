import type { Actor, ChainHop } from '../model/index.ts';

function lastSegment(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

function hopLabel(hop: ChainHop): string {
  return hop.name ?? hop.id;
}

/**
 * One line that says who really acted: the principal, then what stands behind it (the role
 * that issued the session, the source identity, each delegation hop, the calling service).
 * When the log names nobody it says so and names the missing field, because a stop with no
 * actor is a coverage fact an analyst must see, not a blank cell.
 *
 * @example
 * describeActor({ type: 'unknown', chain: [], gap: 'authenticationInfo' });
 * // '(unknown: authenticationInfo)'
 */
export function describeActor(actor: Actor): string {
  if (actor.type === 'unknown' && !actor.id && !actor.name) {
    return `(unknown: ${actor.gap ?? 'the log names no caller'})`;
  }
  const session = actor.session;
  const role = session?.issuer ? lastSegment(session.issuer) : undefined;
  // A role session reads best as who/what holds it, then the role: the session name is
  // the SSO user's e-mail or the automation's name, and it is what gets cut last.
  const sso = role?.match(/^AWSReservedSSO_(.+?)(?:_[0-9a-f]{8,})?$/);
  const parts =
    actor.type === 'assumed_role' && session?.name && role
      ? [session.name, sso ? `(SSO ${sso[1]})` : `(role ${role})`]
      : [actor.name ?? actor.id ?? `(${actor.type})`, ...(role ? [`as ${role}`] : [])];
  if (session?.sourceIdentity) parts.push(`source ${session.sourceIdentity}`);
  // Hops already said above (the role that issued the session, the session's own holder)
  // are not repeated.
  const hops = actor.chain.filter(
    (hop) =>
      hop.id !== session?.issuer &&
      hopLabel(hop) !== session?.name &&
      hopLabel(hop) !== (actor.name ?? actor.id),
  );
  if (hops.length > 0) parts.push(`via ${hops.map(hopLabel).join(' ← ')}`);
  if (actor.invokedBy) parts.push(`invoked by ${actor.invokedBy}`);
  if (session?.mfa === true) parts.push('mfa');
  if (actor.gap) parts.push(`(gap: ${actor.gap})`);
  return parts.join(' ');
}
