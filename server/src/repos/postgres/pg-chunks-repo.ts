// Stored batches on PostgreSQL: read for replays (bodies as stored), written here only for tests and tools.
import type { Async } from '../maybe-async';
import type { ChunkSummary, ChunksRepo, NewChunk, StoredChunk } from '../chunks-repo';
import { statement, type Queryable } from './pg-statement';

/**
 * A session's batches sit in one weekly partition, chosen by the session's first receipt time:
 * naming it lets PostgreSQL read that partition alone (run-time pruning on the subquery's value).
 */
const OF_SESSION =
  'site_id = (SELECT site_id FROM sessions WHERE id = $1) AND session_received_at = (SELECT received_at FROM sessions WHERE id = $1) AND session_id = $1';

const exists = statement<[string, number]>('chunks_exists', `SELECT 1 FROM chunks WHERE ${OF_SESSION} AND seq = $2`);
const firstSeq = statement<[string], { seq: number }>('chunks_first_seq', `SELECT seq FROM chunks WHERE ${OF_SESSION} ORDER BY seq LIMIT 1`);
// The PostgreSQL ingest path (ingest/pg-batch-writer.ts) writes batches with store_batch; these are for tests and tools.
const INSERT = `INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, snapshot_ts, body, received_at)
   SELECT site_id, id, $2, received_at, $3, $4, $5, $6, $7, $8, $9 FROM sessions WHERE id = $1`;
type ChunkValues = [string, number, string, number, number, number, number | null, Buffer, number];
const insert = statement<ChunkValues>('chunks_insert', `${INSERT} RETURNING 1`);
const insertIfNew = statement<ChunkValues>('chunks_insert_if_new', `${INSERT} ON CONFLICT (site_id, session_id, seq, session_received_at) DO NOTHING RETURNING 1`);
const summaries = statement<[string, number, number], ChunkSummary>(
  'chunks_summaries',
  `SELECT seq, page_id AS "pageId", first_ts AS "firstTs", last_ts AS "lastTs", event_count AS "eventCount",
     octet_length(body) AS bytes, snapshot_ts AS "snapshotTs"
   FROM chunks WHERE ${OF_SESSION} AND seq >= $2 ORDER BY seq LIMIT $3`,
);
const sizes = statement<[string, number, number, number], { seq: number; bytes: number }>(
  'chunks_sizes',
  `SELECT seq, octet_length(body) AS bytes FROM chunks WHERE ${OF_SESSION} AND seq BETWEEN $2 AND $3 ORDER BY seq LIMIT $4`,
);
const bodiesInRange = statement<[string, number, number], { seq: number; body: Buffer }>(
  'chunks_bodies_in_range',
  `SELECT seq, body FROM chunks WHERE ${OF_SESSION} AND seq BETWEEN $2 AND $3 ORDER BY seq`,
);
const nextBody = statement<[string, number], { seq: number; body: Buffer }>(
  'chunks_next_body',
  `SELECT seq, body FROM chunks WHERE ${OF_SESSION} AND seq >= $2 ORDER BY seq LIMIT 1`,
);
const forAnalysis = statement<[string, number], StoredChunk>(
  'chunks_for_analysis',
  `SELECT site_id AS "siteId", page_id AS "pageId", body, received_at AS "receivedAt" FROM chunks WHERE ${OF_SESSION} AND seq = $2`,
);

function values(c: NewChunk): ChunkValues {
  return [c.sessionId, c.seq, c.pageId, c.firstTs, c.lastTs, c.eventCount, c.snapshotTs ?? null, c.body, c.receivedAt];
}

export function createPgChunksRepo(db: Queryable): Async<ChunksRepo> {
  return {
    exists: async (sessionId, seq) => (await exists.get(db, sessionId, seq)) !== undefined,
    firstSeq: async (sessionId) => (await firstSeq.get(db, sessionId))?.seq,
    async insert(c) {
      // A duplicate fails on the primary key, as SQLite's plain INSERT does; an unknown session inserts nothing.
      if ((await insert.run(db, ...values(c))).rowCount !== 1) throw new Error(`No session ${c.sessionId} for batch ${c.seq}`);
    },
    insertIfNew: async (c) => (await insertIfNew.run(db, ...values(c))).rowCount === 1,
    forAnalysis: (sessionId, seq) => forAnalysis.get(db, sessionId, seq),
    summaries: (sessionId, fromSeq, limit) => summaries.all(db, sessionId, fromSeq, limit),
    sizes: (sessionId, fromSeq, toSeq, limit) => sizes.all(db, sessionId, fromSeq, toSeq, limit),
    bodiesInRange: (sessionId, fromSeq, toSeq) => bodiesInRange.all(db, sessionId, fromSeq, toSeq),
    nextBody: (sessionId, fromSeq) => nextBody.get(db, sessionId, fromSeq),
  };
}
