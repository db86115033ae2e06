// Human-friendly formatting of durations, dates, offsets and URLs for tables and headers.

/** "45s", "2m 05s", "1h 02m": seconds stop mattering once a session runs for hours. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** Player-style offset: "0:07", "12:30", "1:02:03". */
export function formatOffset(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

export interface DateTimeOptions {
  /** Reference for "Today" and "Yesterday"; tests pass a fixed instant. */
  now?: number;
  locale?: string;
  timeZone?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Formatters by locale and options, made once: building an Intl.DateTimeFormat costs far more than
 * formatting with one (65 ms of the player's first frame went to building them), and a session list
 * formats a date for every row.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, options]);
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.DateTimeFormat(locale, options)));
  return formatter;
}

/** "Today, 2:05 PM", "Yesterday, 9:12 AM", "Mar 3, 4:30 PM", or with the year when it is not this year. */
export function formatDateTime(ms: number, { now = Date.now(), locale, timeZone }: DateTimeOptions = {}): string {
  const time = dateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(ms);
  const day = dayKey(ms, timeZone);
  const today = dayKey(now, timeZone);
  if (day === today) return `Today, ${time}`;
  if (day === dayKey(now - DAY_MS, timeZone)) return `Yesterday, ${time}`;
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  const date = dateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
    timeZone,
  }).format(ms);
  return `${date}, ${time}`;
}

/** "Mar 3, 2025": for things whose time of day does not matter. */
export function formatDate(ms: number, { locale, timeZone }: DateTimeOptions = {}): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(ms);
}

/** Calendar day in the zone as YYYY-MM-DD (the en-CA format), for same-day comparisons. */
function dayKey(ms: number, timeZone: string | undefined): string {
  return dateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(ms);
}

/** Path, query and hash of a URL; the raw text when it does not parse. */
export function urlPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return url;
  }
}

/** "Chrome 124", "Safari", or "Unknown browser". */
export function formatBrowser(browser: string | null, version: string | null): string {
  if (!browser) return 'Unknown browser';
  const major = version?.split('.')[0];
  return major ? `${browser} ${major}` : browser;
}

/** "desktop" -> "Desktop"; the parser reports lower-case device types. */
export function formatDevice(device: string): string {
  return device ? device[0]!.toUpperCase() + device.slice(1) : 'Unknown';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
