// The friction overview's time ranges: the last day, week, month or quarter, as the route and the API take them.

/** Ranges offered, in days; a day is drawn per hour by the server, longer ranges per day. */
export const OVERVIEW_DAYS = [1, 7, 30, 90] as const;
export type OverviewDays = (typeof OVERVIEW_DAYS)[number];
export const DEFAULT_OVERVIEW_DAYS: OverviewDays = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export function parseOverviewDays(text: string | null): OverviewDays {
  const days = Number(text) as OverviewDays;
  return OVERVIEW_DAYS.includes(days) ? days : DEFAULT_OVERVIEW_DAYS;
}

/** The last `days` days up to `now`, ms since epoch. */
export function overviewRange(days: OverviewDays, now: number): { from: number; to: number } {
  return { from: now - days * DAY_MS, to: now };
}

/** The first day of the range as YYYY-MM-DD in the viewer's time zone: the session list's `from` for the same period. */
export function overviewFromDate(days: OverviewDays, now: number): string {
  const from = new Date(overviewRange(days, now).from);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${from.getFullYear()}-${pad(from.getMonth() + 1)}-${pad(from.getDate())}`;
}

export function overviewDaysLabel(days: OverviewDays): string {
  return days === 1 ? 'Last 24 hours' : `Last ${days} days`;
}
