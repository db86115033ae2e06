// The daily job that keeps PostgreSQL's weekly batch partitions: next weeks' made ahead, those past every site's retention dropped whole.
import type { ChunkPartitionsRepo } from '../repos/postgres/pg-chunk-partitions-repo';
import { MAX_SESSION_SPAN_MS } from '../ingest/session-caps';
import { DAY_MS } from '../retention/retention-period';
import type { ScheduledJob } from './run-on-schedule';

/** Partitions exist this many weeks ahead, so a missed day or two never sends batches to the default partition. */
export const PARTITION_WEEKS_AHEAD = 5;
export const CHUNK_PARTITIONS_INTERVAL_MS = DAY_MS;
/** Creating five empty tables or dropping old ones takes seconds at most; a run held longer than this was lost with its node. */
const LEASE_MS = 60 * 60 * 1000;
/**
 * A partition holds the batches of sessions first received in its week, and such a session may
 * receive batches for a while after: a day of activity (the span cap), and a week more for a
 * recorder that delivers a stored batch when its visitor comes back.
 */
export const LATE_BATCH_MARGIN_MS = MAX_SESSION_SPAN_MS + 7 * DAY_MS;

/**
 * Dropping a week of batches is what the partitions are for: no row-by-row delete of the largest
 * table. A partition goes only once the longest retention period of any site has passed for its
 * latest possible batch; sites with shorter periods lose their sessions earlier, row by row, in the
 * retention job, which also deletes the sessions whose batches went with a dropped partition.
 * While any site keeps sessions for ever, no partition is dropped.
 */
export function createChunkPartitionsJob(
  partitions: ChunkPartitionsRepo,
  log: (message: string) => void = console.log,
  now: () => number = Date.now,
): ScheduledJob {
  return {
    name: 'chunk-partitions',
    intervalMs: CHUNK_PARTITIONS_INTERVAL_MS,
    leaseMs: LEASE_MS,
    async run() {
      const at = now();
      const created = await partitions.createAhead(at, PARTITION_WEEKS_AHEAD);
      if (created.length > 0) log(`frictionlens: created batch partitions ${created.join(', ')}`);
      const days = await partitions.longestRetentionDays();
      if (days === null) return;
      const dropped = await partitions.dropBefore(at - days * DAY_MS - LATE_BATCH_MARGIN_MS);
      if (dropped.length > 0) log(`frictionlens: dropped batch partitions past every site's retention: ${dropped.join(', ')}`);
    },
  };
}
