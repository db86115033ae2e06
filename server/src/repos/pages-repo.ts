// Reads and writes the pages table: the page loads (one rrweb recording each) within a session.
import type { Database } from 'better-sqlite3';
import type { PageSummary } from '../api-types';

export interface NewPage {
  sessionId: string;
  pageId: string;
  url: string;
  startedAt: number;
}

export interface PagesRepo {
  /** Start time of a known page, or undefined when the page is new to this session. */
  findStartedAt(sessionId: string, pageId: string): number | undefined;
  insert(page: NewPage): void;
  /** An out-of-order batch can reveal an earlier start for a page already stored. */
  moveStartEarlier(sessionId: string, pageId: string, startedAt: number): void;
  listBySession(sessionId: string): PageSummary[];
  /** Facts the analysis pass reads off a page's signals: uncaught errors and the identified user. */
  setAnalysisFacts(sessionId: string, pageId: string, errorCount: number, userId: string | null): void;
  /** The same facts over the whole session: errors summed, the latest page's user id. */
  sessionFacts(sessionId: string): { errorCount: number; userId: string | null };
}

export function createPagesRepo(db: Database): PagesRepo {
  const startedAt = db
    .prepare<[string, string], number>('SELECT started_at FROM pages WHERE session_id = ? AND page_id = ?')
    .pluck();
  // Bound by position: ingest runs it for every new page load, and names cost a lookup each.
  const insert = db.prepare<[string, string, string, number]>('INSERT INTO pages (session_id, page_id, url, started_at) VALUES (?, ?, ?, ?)');
  const moveStart = db.prepare<[number, string, string, number]>(
    'UPDATE pages SET started_at = ? WHERE session_id = ? AND page_id = ? AND started_at > ?',
  );
  const bySession = db.prepare<[string], PageSummary>(
    'SELECT page_id AS id, url, started_at AS startedAt FROM pages WHERE session_id = ? ORDER BY started_at, page_id',
  );

  const setFacts = db.prepare<[number, string | null, string, string]>(
    'UPDATE pages SET error_count = ?, user_id = ? WHERE session_id = ? AND page_id = ?',
  );
  const facts = db.prepare<[string, string], { errorCount: number | null; userId: string | null }>(
    `SELECT (SELECT sum(error_count) FROM pages WHERE session_id = ?) AS errorCount,
       (SELECT user_id FROM pages WHERE session_id = ? AND user_id IS NOT NULL ORDER BY started_at DESC LIMIT 1) AS userId`,
  );

  return {
    setAnalysisFacts(sessionId, pageId, errorCount, userId) {
      setFacts.run(errorCount, userId, sessionId, pageId);
    },
    sessionFacts(sessionId) {
      const row = facts.get(sessionId, sessionId);
      return { errorCount: row?.errorCount ?? 0, userId: row?.userId ?? null };
    },
    findStartedAt: (sessionId, pageId) => startedAt.get(sessionId, pageId),
    insert(page) {
      insert.run(page.sessionId, page.pageId, page.url, page.startedAt);
    },
    moveStartEarlier(sessionId, pageId, start) {
      moveStart.run(start, sessionId, pageId, start);
    },
    listBySession: (sessionId) => bySession.all(sessionId),
  };
}
