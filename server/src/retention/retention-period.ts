// A site's retention period: its bounds, and the moment before which its sessions are deleted.

/** Ten years: beyond that a period means "keep", which null says plainly. */
export const MAX_RETENTION_DAYS = 3650;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Sessions whose last batch arrived before this (server clock, ms) are past the period. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}
