// Counts the new sessions of each site in the current UTC hour, refusing those past the site's hourly cap.

export const HOUR_MS = 3_600_000;

export interface SessionAdmissions {
  /**
   * Admits a session new to the database: 0 when admitted (again, for a session already counted
   * this hour), else the ms until the next hour, when the site may start sessions again.
   */
  admit(siteId: string, sessionId: string, now: number): number;
  /** Counts sessions admitted elsewhere (by other nodes) in the hour holding `at`; ignored once that hour is over. */
  countElsewhere(siteId: string, sessions: number, at: number, now: number): void;
}

/**
 * A fixed window per UTC hour: simple to state ("at most N new sessions per site per hour") and
 * to check. Sessions are remembered by id, so a batch stored again after its group rolled back
 * is not counted twice; a site holds at most `perHour` ids. `onAdmitted` hears of each session
 * counted for the first time, which is what other nodes must be told.
 */
export function createSessionAdmissions(perHour: number, onAdmitted?: (siteId: string) => void): SessionAdmissions {
  let hour = -1;
  const admitted = new Map<string, Set<string>>();
  const elsewhere = new Map<string, number>();

  function startHourOf(now: number): number {
    const current = Math.floor(now / HOUR_MS);
    if (current !== hour) {
      hour = current;
      admitted.clear();
      elsewhere.clear();
    }
    return current;
  }

  return {
    admit(siteId, sessionId, now) {
      const current = startHourOf(now);
      let ids = admitted.get(siteId);
      if (ids === undefined) admitted.set(siteId, (ids = new Set()));
      if (ids.has(sessionId)) return 0;
      if (ids.size + (elsewhere.get(siteId) ?? 0) >= perHour) return (current + 1) * HOUR_MS - now;
      ids.add(sessionId);
      onAdmitted?.(siteId);
      return 0;
    },
    countElsewhere(siteId, sessions, at, now) {
      if (Math.floor(at / HOUR_MS) !== startHourOf(now)) return;
      elsewhere.set(siteId, (elsewhere.get(siteId) ?? 0) + sessions);
    },
  };
}
