// When to retry a failed ingest request, and how long to wait first.

/**
 * First retry after 0.5–1 s, doubling up to 15–30 s. One second clears a blip (a dropped
 * connection, a deploy's restart) without the user noticing; the 30 s cap bounds how late a
 * batch lands after an outage ends, while an open tab still sends at most about two requests a
 * minute to a server that is down.
 */
export const RETRY_BASE_MS = 1000;
export const RETRY_MAX_MS = 30_000;
/** A Retry-After further out is cut to this: the page rarely lives longer, and the next page load retries anyway. */
export const RETRY_AFTER_MAX_MS = 10 * 60_000;

/**
 * Equal jitter: half of each exponential step is fixed, half random. Pages that failed together
 * (a server restart) spread their retries, yet no retry comes sooner than half its step.
 */
export function backoffMs(failures: number, random: () => number): number {
  const step = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
  return step / 2 + (random() * step) / 2;
}

/** Retry-After as a delay: delta-seconds or an HTTP date (a past date means now); null if absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const ms = Number.isNaN(+value) ? Date.parse(value) - now : +value * 1000;
  return Number.isNaN(ms) ? null : Math.min(Math.max(ms, 0), RETRY_AFTER_MAX_MS);
}

/** A network error (status 0), a timeout, overload or a server fault may pass; any other refusal will not. */
export function isRetryable(status: number): boolean {
  return !status || status === 408 || status === 429 || status >= 500;
}
