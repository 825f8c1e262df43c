import { toEpochMs, type EpochMs } from '../../model/index.ts';

/* The Azure portal's CSV export: `6/10/2024, 7:45:12.031 AM` under a `TimeGenerated [UTC]` header. */
const PORTAL_CSV =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))? ?(AM|PM)$/i;

/**
 * Parses an Activity Log timestamp: ISO 8601 (7 fractional digits in exports), epoch ms,
 * or the portal CSV form, which is always UTC and must not be read as local time.
 *
 * @example
 * timeOf('6/10/2024, 7:45:12.031 AM'); // Date.UTC(2024, 5, 10, 7, 45, 12, 31)
 */
export function timeOf(value: unknown): EpochMs | undefined {
  if (typeof value === 'string') {
    const match = PORTAL_CSV.exec(value.trim());
    if (match) {
      const [, month, day, year, hour, minute, second, fraction, half] = match;
      let hours = Number(hour) % 12;
      if (half!.toUpperCase() === 'PM') hours += 12;
      const ms = Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
      const epoch = Date.UTC(
        Number(year),
        Number(month) - 1,
        Number(day),
        hours,
        Number(minute),
        Number(second),
        ms,
      );
      return Number.isFinite(epoch) && Number(hour) <= 12 ? (epoch as EpochMs) : undefined;
    }
  }
  return toEpochMs(value);
}
