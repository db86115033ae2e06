// Builds the session list's SELECT for a sort, a page position and a filter: one SQL text per shape of query.
import type { FrictionType, SessionSort } from '../api-types';

/** Narrows the session list; every field is optional and they combine with AND. */
export interface SessionFilter {
  /** Sessions with at least one flag of any of these types. */
  friction?: readonly FrictionType[];
  /** Sessions with a page load whose URL contains this text (case-insensitive for ASCII, as SQLite's LIKE). */
  urlContains?: string;
  /** Started at or after, ms since epoch (client clock). */
  startedFrom?: number;
  /** Started before, ms since epoch. */
  startedBefore?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** The user-agent parser's device type: desktop, tablet or mobile. */
  device?: string;
  /** Browser name as the user-agent parser gives it ("Chrome", "Mobile Safari"), case-insensitive. */
  browser?: string;
  /** true: sessions with an uncaught error; false: sessions without. */
  hasErrors?: boolean;
  /** true: sessions the site identified a user in; false: anonymous ones. */
  identified?: boolean;
  /** Sessions identified as this user id. */
  userId?: string;
  watched?: boolean;
}

/** Where the previous page of a sort ended: the sort key of its last session, id as the tiebreak. */
export type SessionListPosition =
  | { sort: 'newest'; startedAt: number; id: string }
  | { sort: 'longest'; durationMs: number; id: string }
  | { sort: 'score'; score: number; startedAt: number; id: string };

export interface SessionListQuery {
  sort: SessionSort;
  limit: number;
  /** Start after this position; it must be of the same sort. */
  after?: SessionListPosition;
  filter?: SessionFilter;
}

/** Session columns holding each type's count. */
export const FRICTION_COLUMNS: Record<FrictionType, string> = {
  rage_click: 'rage_clicks',
  dead_click: 'dead_clicks',
  form_abandonment: 'form_abandonments',
  error_loop: 'error_loops',
};

/** Written exactly as in the sessions_site_duration index, so SQLite uses it. */
const DURATION = '(ended_at - started_at)';

const ORDER: Record<SessionSort, string> = {
  newest: 'started_at DESC, id DESC',
  longest: `${DURATION} DESC, id DESC`,
  score: 'frustration_score DESC, started_at DESC, id DESC',
};

// Row values let SQLite seek straight to the position in the sort's index; the duration index is on
// an expression, which the planner only seeks with a plain comparison, hence the second form.
const SEEK: Record<SessionSort, string> = {
  newest: '(started_at, id) < (@afterStartedAt, @afterId)',
  longest: `${DURATION} <= @afterDuration AND (${DURATION} < @afterDuration OR id < @afterId)`,
  score: '(frustration_score, started_at, id) < (@afterScore, @afterStartedAt, @afterId)',
};

/** LIKE treats % and _ as wildcards: a URL fragment is matched as typed. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The clauses SQLite and PostgreSQL write differently; SQLite's by default. */
export interface SessionListDialect {
  /** A page of the session whose URL matches @url (a LIKE pattern, ASCII case-insensitive). */
  urlMatches: string;
  /** The browser equals @browser, case-insensitive. */
  browserEquals: string;
}

const SQLITE_DIALECT: SessionListDialect = {
  urlMatches: "EXISTS (SELECT 1 FROM pages WHERE pages.session_id = sessions.id AND pages.url LIKE @url ESCAPE '\\')",
  browserEquals: 'browser = @browser COLLATE NOCASE',
};

export function sessionListSql(
  columns: string,
  siteId: string,
  { sort, limit, after, filter = {} }: SessionListQuery,
  dialect: SessionListDialect = SQLITE_DIALECT,
): { sql: string; params: Record<string, unknown> } {
  const where = ['site_id = @siteId'];
  const params: Record<string, unknown> = { siteId, limit };
  const add = (clause: string, values: Record<string, unknown> = {}) => {
    where.push(clause);
    Object.assign(params, values);
  };

  if (after) {
    if (after.sort !== sort) throw new Error(`A ${after.sort} position cannot page the ${sort} list`);
    const values =
      after.sort === 'newest'
        ? { afterStartedAt: after.startedAt }
        : after.sort === 'longest'
          ? { afterDuration: after.durationMs }
          : { afterScore: after.score, afterStartedAt: after.startedAt };
    add(SEEK[sort], { ...values, afterId: after.id });
  }
  if (filter.friction?.length) add(`(${filter.friction.map((type) => `${FRICTION_COLUMNS[type]} > 0`).join(' OR ')})`);
  if (filter.urlContains !== undefined) {
    add(dialect.urlMatches, {
      url: likeContains(filter.urlContains),
    });
  }
  if (filter.startedFrom !== undefined) add('started_at >= @startedFrom', { startedFrom: filter.startedFrom });
  if (filter.startedBefore !== undefined) add('started_at < @startedBefore', { startedBefore: filter.startedBefore });
  if (filter.minDurationMs !== undefined) add(`${DURATION} >= @minDuration`, { minDuration: filter.minDurationMs });
  if (filter.maxDurationMs !== undefined) add(`${DURATION} <= @maxDuration`, { maxDuration: filter.maxDurationMs });
  if (filter.device !== undefined) add('device = @device', { device: filter.device });
  if (filter.browser !== undefined) add(dialect.browserEquals, { browser: filter.browser });
  if (filter.hasErrors !== undefined) add(filter.hasErrors ? 'error_count > 0' : 'error_count = 0');
  if (filter.identified !== undefined) add(filter.identified ? 'user_id IS NOT NULL' : 'user_id IS NULL');
  if (filter.userId !== undefined) add('user_id = @userId', { userId: filter.userId });
  if (filter.watched !== undefined) add(filter.watched ? 'watched_at IS NOT NULL' : 'watched_at IS NULL');

  return { sql: `SELECT ${columns} FROM sessions WHERE ${where.join(' AND ')} ORDER BY ${ORDER[sort]} LIMIT @limit`, params };
}
