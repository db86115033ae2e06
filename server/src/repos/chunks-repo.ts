// Reads and writes the chunks table: each received batch, kept as the gzip bytes the recorder sent.
import type { Database } from 'better-sqlite3';

export interface NewChunk {
  sessionId: string;
  seq: number;
  pageId: string;
  firstTs: number;
  lastTs: number;
  eventCount: number;
  /** gzip of the batch's JSON. */
  body: Buffer;
  receivedAt: number;
}

export interface ChunksRepo {
  exists(sessionId: string, seq: number): boolean;
  insert(chunk: NewChunk): void;
  /** Inserts unless (sessionId, seq) is already stored; false for that duplicate. One statement, no lookup first. */
  insertIfNew(chunk: NewChunk): boolean;
  /** Gzipped bodies of a session's batches in seq order. */
  bodiesBySession(sessionId: string): Buffer[];
  /** A stored batch with what the analysis pass needs to place it; undefined once deleted. */
  forAnalysis(sessionId: string, seq: number): StoredChunk | undefined;
}

export interface StoredChunk {
  siteId: string;
  pageId: string;
  body: Buffer;
  receivedAt: number;
}

export function createChunksRepo(db: Database): ChunksRepo {
  const exists = db.prepare<[string, number], number>('SELECT 1 FROM chunks WHERE session_id = ? AND seq = ?').pluck();
  const insert = db.prepare<[NewChunk]>(
    `INSERT INTO chunks (session_id, seq, page_id, first_ts, last_ts, event_count, body, received_at)
     VALUES (@sessionId, @seq, @pageId, @firstTs, @lastTs, @eventCount, @body, @receivedAt)`,
  );
  // Only the primary key's conflict is ignored: a CHECK or foreign-key failure still throws.
  const insertIfNew = db.prepare<[NewChunk]>(
    `INSERT INTO chunks (session_id, seq, page_id, first_ts, last_ts, event_count, body, received_at)
     VALUES (@sessionId, @seq, @pageId, @firstTs, @lastTs, @eventCount, @body, @receivedAt)
     ON CONFLICT (session_id, seq) DO NOTHING`,
  );
  const bodies = db.prepare<[string], Buffer>('SELECT body FROM chunks WHERE session_id = ? ORDER BY seq').pluck();

  const forAnalysis = db.prepare<[string, number], StoredChunk>(
    `SELECT s.site_id AS siteId, c.page_id AS pageId, c.body, c.received_at AS receivedAt
     FROM chunks c JOIN sessions s ON s.id = c.session_id WHERE c.session_id = ? AND c.seq = ?`,
  );

  return {
    forAnalysis: (sessionId, seq) => forAnalysis.get(sessionId, seq),
    exists: (sessionId, seq) => exists.get(sessionId, seq) !== undefined,
    insert(chunk) {
      insert.run(chunk);
    },
    insertIfNew: (chunk) => insertIfNew.run(chunk).changes === 1,
    bodiesBySession: (sessionId) => bodies.all(sessionId),
  };
}
