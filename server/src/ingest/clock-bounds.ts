// Bounds what a batch may claim about time against the server's clock when it arrives.
import { ApiError } from '../errors/api-error';

/**
 * How far ahead of the server's clock an event may be dated. Clocks synchronised over the network
 * are within seconds; an hour also passes a device whose clock is a little off. An event dated
 * later would sort its session above every real one in the newest-first list for as long as the
 * lie lasts (an event dated 2223, for two centuries).
 */
export const MAX_CLOCK_AHEAD_MS = 60 * 60 * 1000;
const MAX_DATE_MS = 8.64e15;

/**
 * Refuses a batch whose latest event is dated more than MAX_CLOCK_AHEAD_MS after `receivedAt`
 * (server clock). Into the past there is no bound on a batch by itself: a recorder's queue may
 * hold batches for weeks (offline, tab restored), and an old session sorts among old ones. What
 * a late batch can do to a session is bounded where it is stored: it moves the session's start
 * and entry URL only when it comes first in seq order, and the session's span is capped.
 */
export function checkBatchClock(lastTs: number, receivedAt: number): void {
  if (lastTs > receivedAt + MAX_CLOCK_AHEAD_MS) {
    // Dates past the year 275760 have no ISO form.
    const when = lastTs <= MAX_DATE_MS ? new Date(lastTs).toISOString() : `${lastTs} ms after 1970`;
    throw new ApiError(
      400,
      'timestamp_out_of_range',
      `An event is dated ${when}, more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes ahead of the server's clock`,
    );
  }
}
