// Counts the new sessions of each site in the current UTC hour, refusing those past the site's hourly cap.

export const HOUR_MS = 3_600_000;

export interface SessionAdmissions {
  /**
   * Admits a session new to the database: 0 when admitted (again, for a session already counted
   * this hour), else the ms until the next hour, when the site may start sessions again.
   */
  admit(siteId: string, sessionId: string, now: number): number;
}

/**
 * A fixed window per UTC hour: simple to state ("at most N new sessions per site per hour") and
 * to check. Sessions are remembered by id, so a batch stored again after its group rolled back
 * is not counted twice; a site holds at most `perHour` ids.
 */
export function createSessionAdmissions(perHour: number): SessionAdmissions {
  let hour = -1;
  const admitted = new Map<string, Set<string>>();
  return {
    admit(siteId, sessionId, now) {
      const current = Math.floor(now / HOUR_MS);
      if (current !== hour) {
        hour = current;
        admitted.clear();
      }
      let ids = admitted.get(siteId);
      if (ids === undefined) admitted.set(siteId, (ids = new Set()));
      if (ids.has(sessionId)) return 0;
      if (ids.size >= perHour) return (current + 1) * HOUR_MS - now;
      ids.add(sessionId);
      return 0;
    },
  };
}
