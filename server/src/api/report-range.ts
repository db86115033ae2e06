// The time range of a conversion report: from/to as given, else the last 30 days.
import { ApiError } from '../errors/api-error';

/** Without bounds a report covers the last 30 days of sessions. */
export const DEFAULT_REPORT_DAYS = 30;
const DAY_MS = 86_400_000;

/** Sessions are in a report when they started in [from, to). */
export function reportRange(query: { from?: number; to?: number }, now: number): { from: number; to: number } {
  const to = query.to ?? now + 1;
  const from = query.from ?? to - DEFAULT_REPORT_DAYS * DAY_MS;
  if (from >= to) throw new ApiError(400, 'invalid_request', '"from" must be before "to"');
  return { from, to };
}
