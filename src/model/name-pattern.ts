import type { Actor } from './event.ts';

/**
 * What the text of `--actor` matches in an identity's ids and names: whole words, in any
 * letter case, `*` standing for any run of characters. A word ends where a letter or digit
 * meets anything else, so `alice` finds `alice@example.com`, `AWSReservedSSO_Admin_1a2b/alice`
 * and `arn:aws:iam::111122223333:user/alice`, but not `malice`; `u1` finds user `u1`, not
 * `u10` (`u1*` finds both). A plain substring would make the answer depend on which other
 * names happen to be in the logs.
 *
 * @example
 * const who = namePattern('alice');
 * who.test('alice@example.com'); // true
 * who.test('malice'); // false
 */
export interface NamePattern {
  /** Whether the pattern matches the value (absent values never match). */
  test(value: string | undefined | null): boolean;
  /**
   * A lower-case literal every match contains (the longest run between `*`s), for a
   * database to narrow with `LIKE` before `test` decides; empty when there is none.
   */
  readonly literal: string;
}

const WORD = '[\\p{L}\\p{N}]';

export function namePattern(text: string): NamePattern {
  const trimmed = text.trim();
  const pieces = trimmed.split('*');
  const body = pieces.map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  // The boundaries only apply where the text itself starts or ends with a word character.
  const before = /^[\p{L}\p{N}]/u.test(trimmed) ? `(?<!${WORD})` : '';
  const after = /[\p{L}\p{N}]$/u.test(trimmed) ? `(?!${WORD})` : '';
  const regex = new RegExp(`${before}${body}${after}`, 'iu');
  const literal = pieces.reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase();
  return {
    literal,
    test: (value) => value !== undefined && value !== null && regex.test(value),
  };
}

/**
 * Whether any name of the actor matches: its id and name, the service that acted for it,
 * its session (name, issuing role, source identity) and every hop of its chain.
 *
 * @example
 * stops.filter((stop) => actorMatches(stop.actor, namePattern('alice')));
 */
export function actorMatches(actor: Actor, who: NamePattern): boolean {
  const session = actor.session;
  return (
    who.test(actor.id) ||
    who.test(actor.name) ||
    who.test(actor.invokedBy) ||
    who.test(session?.name) ||
    who.test(session?.issuer) ||
    who.test(session?.sourceIdentity) ||
    actor.chain.some((hop) => who.test(hop.id) || who.test(hop.name))
  );
}
