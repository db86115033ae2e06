// Reads and writes the chunks table: each received batch, kept as the gzip bytes the recorder sent.
import type { Database } from 'better-sqlite3';

export interface NewChunk {
  sessionId: string;
  seq: number;
  pageId: string;
  firstTs: number;
  lastTs: number;
  eventCount: number;
  /** Time of the batch's first Meta event with a full snapshot after it; null (or absent) when it holds none. */
  snapshotTs?: number | null;
  /** gzip of the batch's JSON. */
  body: Buffer;
  receivedAt: number;
}

export interface ChunksRepo {
  exists(sessionId: string, seq: number): boolean;
  /** The lowest stored seq of the session, or undefined when none is stored. */
  firstSeq(sessionId: string): number | undefined;
  insert(chunk: NewChunk): void;
  /** Inserts unless (sessionId, seq) is already stored; false for that duplicate. One statement, no lookup first. */
  insertIfNew(chunk: NewChunk): boolean;
  /** A stored batch with what the analysis pass needs to place it; undefined once deleted. */
  forAnalysis(sessionId: string, seq: number): StoredChunk | undefined;
  /** Up to `limit` batches from `fromSeq` on, in seq order, with their stored size; bodies are not read. */
  summaries(sessionId: string, fromSeq: number, limit: number): ChunkSummary[];
  /** Seq and stored size of up to `limit` batches with fromSeq <= seq <= toSeq, in seq order; bodies are not read. */
  sizes(sessionId: string, fromSeq: number, toSeq: number, limit: number): Array<{ seq: number; bytes: number }>;
  /** Stored bodies with fromSeq <= seq <= toSeq, in seq order. */
  bodiesInRange(sessionId: string, fromSeq: number, toSeq: number): Array<{ seq: number; body: Buffer }>;
  /** The first stored body with seq >= fromSeq, for readers that take one batch at a time. */
  nextBody(sessionId: string, fromSeq: number): { seq: number; body: Buffer } | undefined;
}

export interface ChunkSummary {
  seq: number;
  pageId: string;
  firstTs: number;
  lastTs: number;
  eventCount: number;
  /** Size of the stored gzip body. */
  bytes: number;
  /** Where a replay can start in this batch (see NewChunk); null when it cannot. */
  snapshotTs: number | null;
}

/** Bound by position, in the order of CHUNK_COLUMNS. */
type ChunkRow = [sessionId: string, seq: number, pageId: string, firstTs: number, lastTs: number, eventCount: number, snapshotTs: number | null, body: Buffer, receivedAt: number];
const CHUNK_COLUMNS = 'session_id, seq, page_id, first_ts, last_ts, event_count, snapshot_ts, body, received_at';

export interface StoredChunk {
  siteId: string;
  pageId: string;
  body: Buffer;
  receivedAt: number;
}

export function createChunksRepo(db: Database): ChunksRepo {
  const exists = db.prepare<[string, number], number>('SELECT 1 FROM chunks WHERE session_id = ? AND seq = ?').pluck();
  // The primary key's first entry for the session: one index seek.
  const firstSeq = db.prepare<[string], number>('SELECT seq FROM chunks WHERE session_id = ? ORDER BY seq LIMIT 1').pluck();
  // Positional parameters: ingest runs these for every batch, and binding by name cost about 2 µs
  // a statement more (better-sqlite3 looks each name up on the object), plus the copy that filled in snapshotTs.
  const insert = db.prepare<ChunkRow>(`INSERT INTO chunks (${CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Only the primary key's conflict is ignored: a CHECK or foreign-key failure still throws.
  const insertIfNew = db.prepare<ChunkRow>(
    `INSERT INTO chunks (${CHUNK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, seq) DO NOTHING`,
  );

  // length() of a blob column is read from the record header; SQLite does not load the blob for it.
  const summaries = db.prepare<[string, number, number], ChunkSummary>(
    `SELECT seq, page_id AS pageId, first_ts AS firstTs, last_ts AS lastTs, event_count AS eventCount, length(body) AS bytes,
       snapshot_ts AS snapshotTs
     FROM chunks WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
  );
  const sizes = db.prepare<[string, number, number, number], { seq: number; bytes: number }>(
    'SELECT seq, length(body) AS bytes FROM chunks WHERE session_id = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
  );
  const bodiesInRange = db.prepare<[string, number, number], { seq: number; body: Buffer }>(
    'SELECT seq, body FROM chunks WHERE session_id = ? AND seq BETWEEN ? AND ? ORDER BY seq',
  );
  const nextBody = db.prepare<[string, number], { seq: number; body: Buffer }>(
    'SELECT seq, body FROM chunks WHERE session_id = ? AND seq >= ? ORDER BY seq LIMIT 1',
  );

  const forAnalysis = db.prepare<[string, number], StoredChunk>(
    `SELECT s.site_id AS siteId, c.page_id AS pageId, c.body, c.received_at AS receivedAt
     FROM chunks c JOIN sessions s ON s.id = c.session_id WHERE c.session_id = ? AND c.seq = ?`,
  );

  return {
    forAnalysis: (sessionId, seq) => forAnalysis.get(sessionId, seq),
    exists: (sessionId, seq) => exists.get(sessionId, seq) !== undefined,
    firstSeq: (sessionId) => firstSeq.get(sessionId),
    insert(c) {
      insert.run(c.sessionId, c.seq, c.pageId, c.firstTs, c.lastTs, c.eventCount, c.snapshotTs ?? null, c.body, c.receivedAt);
    },
    insertIfNew: (c) =>
      insertIfNew.run(c.sessionId, c.seq, c.pageId, c.firstTs, c.lastTs, c.eventCount, c.snapshotTs ?? null, c.body, c.receivedAt).changes === 1,
    summaries: (sessionId, fromSeq, limit) => summaries.all(sessionId, fromSeq, limit),
    sizes: (sessionId, fromSeq, toSeq, limit) => sizes.all(sessionId, fromSeq, toSeq, limit),
    bodiesInRange: (sessionId, fromSeq, toSeq) => bodiesInRange.all(sessionId, fromSeq, toSeq),
    nextBody: (sessionId, fromSeq) => nextBody.get(sessionId, fromSeq),
  };
}
