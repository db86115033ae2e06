// Reads and writes the sessions table: one row per recorded visit, with totals kept up to date per batch.
import type { Database } from 'better-sqlite3';
import type { SessionSummary } from '../api-types';

export interface NewSession {
  id: string;
  siteId: string;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  entryUrl: string;
  userAgent: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: string;
  receivedAt: number;
}

/** One more batch for an existing session. */
export interface SessionBatchUpdate {
  id: string;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  /** True when the batch starts earlier than anything stored so far. */
  earlier: boolean;
  /** 1 when the batch starts a page load this session had not seen, else 0. */
  newPages: number;
  /** URL of the batch's page; becomes the entry URL if the batch is the earliest seen. */
  url: string;
  updatedAt: number;
}

/** Position in the newest-first list; the cursor the API hands out encodes this. */
export interface SessionListPosition {
  startedAt: number;
  id: string;
}

export interface SessionsRepo {
  /** Owner and current start of a session, or undefined when the id is new. */
  findForBatch(id: string): { siteId: string; startedAt: number } | undefined;
  insert(session: NewSession): void;
  recordBatch(update: SessionBatchUpdate): void;
  get(id: string): SessionSummary | undefined;
  listBySite(siteId: string, limit: number, before?: SessionListPosition): SessionSummary[];
}

interface SessionRow {
  id: string;
  site_id: string;
  started_at: number;
  ended_at: number;
  page_count: number;
  event_count: number;
  entry_url: string;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device: string;
}

const SUMMARY_COLUMNS =
  'id, site_id, started_at, ended_at, page_count, event_count, entry_url, browser, browser_version, os, device';

function toSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    siteId: row.site_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.ended_at - row.started_at,
    pageCount: row.page_count,
    eventCount: row.event_count,
    entryUrl: row.entry_url,
    browser: row.browser,
    browserVersion: row.browser_version,
    os: row.os,
    device: row.device,
  };
}

export function createSessionsRepo(db: Database): SessionsRepo {
  const forBatch = db.prepare<[string], { siteId: string; startedAt: number }>(
    'SELECT site_id AS siteId, started_at AS startedAt FROM sessions WHERE id = ?',
  );
  const insert = db.prepare<[NewSession]>(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url,
       user_agent, browser, browser_version, os, device, received_at, updated_at)
     VALUES (@id, @siteId, @startedAt, @endedAt, 1, @eventCount, @entryUrl,
       @userAgent, @browser, @browserVersion, @os, @device, @receivedAt, @receivedAt)`,
  );
  // The common batch extends the session at its end. Leaving started_at out of that UPDATE keeps
  // SQLite from rewriting the (site_id, started_at) index entry, one page less per commit.
  const extend = db.prepare<[SessionBatchUpdate]>(
    `UPDATE sessions SET
       ended_at = max(ended_at, @endedAt),
       event_count = event_count + @eventCount,
       page_count = page_count + @newPages,
       updated_at = @updatedAt
     WHERE id = @id`,
  );
  // Batches can arrive out of order (retries, a slow request overtaken by the next page's first);
  // one that starts earlier than the session moves its start and entry URL back.
  const extendEarlier = db.prepare<[SessionBatchUpdate]>(
    `UPDATE sessions SET
       started_at = @startedAt,
       entry_url = @url,
       ended_at = max(ended_at, @endedAt),
       event_count = event_count + @eventCount,
       page_count = page_count + @newPages,
       updated_at = @updatedAt
     WHERE id = @id`,
  );
  const byId = db.prepare<[string], SessionRow>(`SELECT ${SUMMARY_COLUMNS} FROM sessions WHERE id = ?`);
  const firstPage = db.prepare<[string, number], SessionRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sessions WHERE site_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
  );
  const nextPage = db.prepare<[string, number, number, string, number], SessionRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sessions
     WHERE site_id = ? AND (started_at < ? OR (started_at = ? AND id < ?))
     ORDER BY started_at DESC, id DESC LIMIT ?`,
  );

  return {
    findForBatch: (id) => forBatch.get(id),
    insert(session) {
      insert.run(session);
    },
    recordBatch(batch) {
      (batch.earlier ? extendEarlier : extend).run(batch);
    },
    get(id) {
      const row = byId.get(id);
      return row && toSummary(row);
    },
    listBySite(siteId, limit, before) {
      const rows = before
        ? nextPage.all(siteId, before.startedAt, before.startedAt, before.id, limit)
        : firstPage.all(siteId, limit);
      return rows.map(toSummary);
    },
  };
}
