import type { Outcome, Phase } from '../../model/index.ts';
import { object, text, type JsonObject } from './_values.ts';

export interface PhaseOutcome {
  readonly phase: Phase;
  readonly outcome: Outcome;
}

/** Error code and message of a failed call: `statusMessage` JSON first, then status codes. */
function failureOf(properties: JsonObject | undefined, subStatus: string | undefined): Outcome {
  const rawMessage = properties?.['statusMessage'];
  const parsed = object(rawMessage);
  const error = object(parsed?.['error']) ?? parsed;
  const code =
    text(error?.['code']) ??
    text(properties?.['statusCode']) ??
    // Export `resultSignature` is `Failed.Forbidden`: the part after the status.
    subStatus?.replace(/^(?:failed|failure|canceled|cancelled)\.?/i, '') ??
    undefined;
  const message = text(error?.['message']) ?? (parsed === undefined ? text(rawMessage) : undefined);
  return {
    status: 'failure',
    ...(code ? { code } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

/**
 * The phase and outcome of one record. Azure writes one record per phase of an operation:
 * Started (`Start`), Accepted (`Accept`), then Succeeded (`Success`) or Failed (`Failure`)
 * or Canceled; the Log Analytics and export spellings are the short ones.
 *
 * @example
 * phaseOf('Accept', undefined, undefined, undefined); // { phase: 'accepted', outcome: { status: 'accepted' } }
 */
export function phaseOf(
  status: string | undefined,
  subStatus: string | undefined,
  eventName: string | undefined,
  properties: JsonObject | undefined,
): PhaseOutcome {
  switch (status?.toLowerCase()) {
    case 'started':
    case 'start':
      return { phase: 'begin', outcome: { status: 'in_progress' } };
    case 'accepted':
    case 'accept':
      return { phase: 'accepted', outcome: { status: 'accepted' } };
    case 'succeeded':
    case 'success':
      return { phase: 'end', outcome: { status: 'success' } };
    case 'failed':
    case 'failure':
    case 'canceled':
    case 'cancelled':
      return { phase: 'end', outcome: failureOf(properties, subStatus) };
    default:
      break;
  }
  const event = eventName?.toLowerCase();
  if (event === 'beginrequest') return { phase: 'begin', outcome: { status: 'in_progress' } };
  if (event === 'endrequest') return { phase: 'end', outcome: { status: 'unknown' } };
  return { phase: 'single', outcome: { status: 'unknown' } };
}
