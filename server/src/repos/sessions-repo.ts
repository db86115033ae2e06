// Reads and writes the sessions table: one row per recorded visit, with totals kept up to date per batch.
import type { Database, Statement } from 'better-sqlite3';
import { FRICTION_TYPES, type FrictionType, type SessionSummary } from '../api-types';
import { sessionListSql, type SessionListQuery } from './session-list-sql';

export type { SessionFilter, SessionListPosition, SessionListQuery } from './session-list-sql';

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
  /** Bytes of event JSON its first batch inflated to; 0 when omitted. */
  inflatedBytes?: number;
}

/** What ingest needs of a stored session: its owner, and the totals the per-session caps bound. */
export interface SessionForBatch {
  siteId: string;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  pageCount: number;
  inflatedBytes: number;
}

/** One more batch for an existing session. */
export interface SessionBatchUpdate {
  id: string;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  /** Bytes of event JSON the batch inflated to. */
  inflatedBytes?: number;
  /**
   * True when the batch comes before every stored batch of the session in seq order: its URL is the
   * entry URL, and its start, if earlier, the session's. Decided by seq, not by the client's clock.
   */
  earlier: boolean;
  /** 1 when the batch starts a page load this session had not seen, else 0. */
  newPages: number;
  /** URL of the batch's page; becomes the entry URL if the batch is the earliest seen. */
  url: string;
  updatedAt: number;
}

export interface SessionAnalysis {
  friction: Record<FrictionType, number>;
  frustrationScore: number;
  errorCount: number;
  userId: string | null;
}

export interface SessionsRepo {
  /** Owner, times and totals of a session, or undefined when the id is new. */
  findForBatch(id: string): SessionForBatch | undefined;
  insert(session: NewSession): void;
  recordBatch(update: SessionBatchUpdate): void;
  get(id: string): SessionSummary | undefined;
  /** Stores what the analysis pass found for the session as a whole. */
  setAnalysis(id: string, analysis: SessionAnalysis): void;
  /** A page of the site's sessions in the query's sort, after its position, narrowed by its filter. */
  listBySite(siteId: string, query: SessionListQuery): SessionSummary[];
  /** Marks the session watched at `at` (server clock), or unwatched with null; false when there is no such session. */
  setWatched(id: string, at: number | null): boolean;
}

export interface SessionRow {
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
  rage_clicks: number;
  dead_clicks: number;
  form_abandonments: number;
  error_loops: number;
  frustration_score: number;
  error_count: number;
  user_id: string | null;
  watched_at: number | null;
  /** JSON object: each friction type's first flag time, null for types the session does not have. */
  first_friction: string;
}

/** One pass over the session's flags (friction_session index) for every type's first moment. */
const FIRST_FRICTION =
  `(SELECT json_object(${FRICTION_TYPES.map((type) => `'${type}', min(CASE WHEN type = '${type}' THEN ts END)`).join(', ')}) ` +
  'FROM friction WHERE friction.session_id = sessions.id) AS first_friction';

export const SUMMARY_COLUMNS =
  'id, site_id, started_at, ended_at, page_count, event_count, entry_url, browser, browser_version, os, device, ' +
  'rage_clicks, dead_clicks, form_abandonments, error_loops, frustration_score, error_count, user_id, watched_at, ' +
  FIRST_FRICTION;

function firstFrictionAt(json: string): SessionSummary['firstFrictionAt'] {
  const parsed = JSON.parse(json) as Record<FrictionType, number | null>;
  return Object.fromEntries(FRICTION_TYPES.filter((type) => parsed[type] !== null).map((type) => [type, parsed[type]]));
}

export function toSummary(row: SessionRow): SessionSummary {
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
    friction: {
      rage_click: row.rage_clicks,
      dead_click: row.dead_clicks,
      form_abandonment: row.form_abandonments,
      error_loop: row.error_loops,
    },
    frustrationScore: row.frustration_score,
    errorCount: row.error_count,
    userId: row.user_id,
    watchedAt: row.watched_at,
    firstFrictionAt: firstFrictionAt(row.first_friction),
  };
}

export function createSessionsRepo(db: Database): SessionsRepo {
  const forBatch = db.prepare<[string], SessionForBatch>(
    `SELECT site_id AS siteId, started_at AS startedAt, ended_at AS endedAt, event_count AS eventCount,
       page_count AS pageCount, inflated_bytes AS inflatedBytes
     FROM sessions WHERE id = ?`,
  );
  // Ingest's statements are bound by position, in the order their ? appear: they run for every
  // batch, and binding by name cost about 2 µs a statement more (better-sqlite3 looks each name up).
  const insert = db.prepare<[string, string, number, number, number, string, string | null, string | null, string | null, string | null, string, number, number, number]>(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url,
       user_agent, browser, browser_version, os, device, received_at, updated_at, inflated_bytes)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The common batch extends the session at its end. Leaving started_at out of that UPDATE keeps
  // SQLite from rewriting the (site_id, started_at) index entry, one page less per commit.
  const extend = db.prepare<[endedAt: number, eventCount: number, newPages: number, inflatedBytes: number, updatedAt: number, id: string]>(
    `UPDATE sessions SET
       ended_at = max(ended_at, ?),
       event_count = event_count + ?,
       page_count = page_count + ?,
       inflated_bytes = inflated_bytes + ?,
       updated_at = ?
     WHERE id = ?`,
  );
  // Batches can arrive out of order (retries, a slow request overtaken by the next page's first);
  // one that comes first in seq order gives the entry URL, and its start if that is earlier.
  const extendEarlier = db.prepare<
    [startedAt: number, url: string, endedAt: number, eventCount: number, newPages: number, inflatedBytes: number, updatedAt: number, id: string]
  >(
    `UPDATE sessions SET
       started_at = min(started_at, ?),
       entry_url = ?,
       ended_at = max(ended_at, ?),
       event_count = event_count + ?,
       page_count = page_count + ?,
       inflated_bytes = inflated_bytes + ?,
       updated_at = ?
     WHERE id = ?`,
  );
  const byId = db.prepare<[string], SessionRow>(`SELECT ${SUMMARY_COLUMNS} FROM sessions WHERE id = ?`);
  const setWatched = db.prepare<[number | null, string]>('UPDATE sessions SET watched_at = ? WHERE id = ?');
  const setAnalysis = db.prepare<[Record<string, unknown>]>(
    `UPDATE sessions SET rage_clicks = @rage, dead_clicks = @dead, form_abandonments = @forms, error_loops = @loops,
       frustration_score = @score, error_count = @errors, user_id = @userId
     WHERE id = @id`,
  );
  // One prepared statement per query shape (sort, paged or not, which filters), made on first use.
  // The number of shapes is bounded by the combinations of filters (values are parameters), and few occur in practice.
  const listStatements = new Map<string, Statement<[Record<string, unknown>], SessionRow>>();
  function listStatement(sql: string): Statement<[Record<string, unknown>], SessionRow> {
    let statement = listStatements.get(sql);
    if (!statement) listStatements.set(sql, (statement = db.prepare<[Record<string, unknown>], SessionRow>(sql)));
    return statement;
  }

  return {
    findForBatch: (id) => forBatch.get(id),
    insert(n) {
      insert.run(n.id, n.siteId, n.startedAt, n.endedAt, n.eventCount, n.entryUrl, n.userAgent, n.browser, n.browserVersion, n.os, n.device, n.receivedAt, n.receivedAt, n.inflatedBytes ?? 0);
    },
    recordBatch(b) {
      const inflatedBytes = b.inflatedBytes ?? 0;
      if (b.earlier) extendEarlier.run(b.startedAt, b.url, b.endedAt, b.eventCount, b.newPages, inflatedBytes, b.updatedAt, b.id);
      else extend.run(b.endedAt, b.eventCount, b.newPages, inflatedBytes, b.updatedAt, b.id);
    },
    setAnalysis(id, { friction, frustrationScore, errorCount, userId }) {
      setAnalysis.run({
        id,
        rage: friction.rage_click,
        dead: friction.dead_click,
        forms: friction.form_abandonment,
        loops: friction.error_loop,
        score: frustrationScore,
        errors: errorCount,
        userId,
      });
    },
    get(id) {
      const row = byId.get(id);
      return row && toSummary(row);
    },
    listBySite(siteId, query) {
      const { sql, params } = sessionListSql(SUMMARY_COLUMNS, siteId, query);
      return listStatement(sql).all(params).map(toSummary);
    },
    setWatched: (id, at) => setWatched.run(at, id).changes > 0,
  };
}
