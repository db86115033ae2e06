// The session list's filters and sort: read from and written to the route's query, and turned into the API's parameters.
import { FRICTION_TYPES, SESSION_DEVICE_CLASSES, SESSION_SORTS } from './contract';
import type { FrictionType, SessionDeviceClass, SessionSort, SessionSummary } from './contract';

export interface SessionFilters {
  sort: SessionSort;
  /** Sessions with any of these types; none selected means no friction filter. */
  friction: FrictionType[];
  /** A fragment of the URL of a page the session visited. */
  url: string;
  /** First and last day of the start date range, YYYY-MM-DD in the viewer's time zone; '' leaves that end open. */
  from: string;
  to: string;
  /** Duration bounds in whole seconds. */
  minDuration: number | null;
  maxDuration: number | null;
  device: SessionDeviceClass | '';
  browser: string;
  /** Only sessions with an uncaught error. */
  errors: boolean;
  /** Only sessions the site identified a user in. */
  identified: boolean;
  /** Only this user id's sessions. */
  user: string;
  /** Only watched (true) or unwatched (false) sessions; null for both. */
  watched: boolean | null;
}

export const NO_FILTERS: SessionFilters = Object.freeze({
  sort: 'newest',
  friction: [],
  url: '',
  from: '',
  to: '',
  minDuration: null,
  maxDuration: null,
  device: '',
  browser: '',
  errors: false,
  identified: false,
  user: '',
  watched: null,
}) as SessionFilters;

/** The replay opens this long before a friction moment, so the visitor's lead-up is seen (the 3 s). */
export const REPLAY_LEAD_IN_MS = 3000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SECONDS = /^\d{1,9}$/;

/**
 * Reads the filters from a route's query. A value the viewer cannot use is dropped rather than
 * refused, so an old or hand-edited link still opens a list.
 */
export function parseSessionFilters(params: URLSearchParams): SessionFilters {
  const text = (name: string) => params.get(name)?.trim() ?? '';
  const seconds = (name: string) => (SECONDS.test(text(name)) ? Number(text(name)) : null);
  const date = (name: string) => (DATE.test(text(name)) && !Number.isNaN(Date.parse(text(name))) ? text(name) : '');
  const sort = text('sort') as SessionSort;
  const device = text('device') as SessionDeviceClass;
  const friction = new Set(text('friction').split(','));
  const watched = text('watched');
  return {
    sort: SESSION_SORTS.includes(sort) ? sort : 'newest',
    friction: FRICTION_TYPES.filter((type) => friction.has(type)),
    url: text('url'),
    from: date('from'),
    to: date('to'),
    minDuration: seconds('minDuration'),
    maxDuration: seconds('maxDuration'),
    device: SESSION_DEVICE_CLASSES.includes(device) ? device : '',
    browser: text('browser'),
    errors: text('errors') === '1',
    identified: text('identified') === '1',
    user: text('user'),
    watched: watched === '1' ? true : watched === '0' ? false : null,
  };
}

/** The route query for the filters: only what differs from no filters, in a fixed order, so equal filters give equal links. */
export function sessionFiltersQuery(filters: SessionFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.sort !== 'newest') params.set('sort', filters.sort);
  if (filters.friction.length) params.set('friction', FRICTION_TYPES.filter((type) => filters.friction.includes(type)).join(','));
  if (filters.url.trim()) params.set('url', filters.url.trim());
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.minDuration !== null) params.set('minDuration', String(filters.minDuration));
  if (filters.maxDuration !== null) params.set('maxDuration', String(filters.maxDuration));
  if (filters.device) params.set('device', filters.device);
  if (filters.browser.trim()) params.set('browser', filters.browser.trim());
  if (filters.errors) params.set('errors', '1');
  if (filters.identified) params.set('identified', '1');
  if (filters.user.trim()) params.set('user', filters.user.trim());
  if (filters.watched !== null) params.set('watched', filters.watched ? '1' : '0');
  return params;
}

/** Whether anything narrows the list (the sort alone does not). */
export function isFiltered(filters: SessionFilters): boolean {
  return sessionFiltersQuery({ ...filters, sort: 'newest' }).size > 0;
}

/** Midnight starting the YYYY-MM-DD day in the viewer's time zone, plus `days`. */
function localMidnight(day: string, days = 0): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + days).getTime();
}

/** GET /api/sessions parameters for the filters (site, limit and cursor are the caller's). Dates cover whole local days. */
export function sessionListApiParams(filters: SessionFilters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.sort !== 'newest') params.sort = filters.sort;
  if (filters.friction.length) params.friction = filters.friction.join(',');
  if (filters.url.trim()) params.url = filters.url.trim();
  if (filters.from) params.from = String(localMidnight(filters.from));
  if (filters.to) params.to = String(localMidnight(filters.to, 1));
  if (filters.minDuration !== null) params.minDurationMs = String(filters.minDuration * 1000);
  if (filters.maxDuration !== null) params.maxDurationMs = String(filters.maxDuration * 1000);
  if (filters.device) params.device = filters.device;
  if (filters.browser.trim()) params.browser = filters.browser.trim();
  if (filters.errors) params.errors = 'true';
  if (filters.identified) params.identified = 'true';
  if (filters.user.trim()) params.user = filters.user.trim();
  if (filters.watched !== null) params.watched = String(filters.watched);
  return params;
}

/** Where a replay opens for a friction moment: REPLAY_LEAD_IN_MS before it, never before the start. */
export function replayOffsetFor(session: Pick<SessionSummary, 'startedAt'>, ts: number): number {
  return Math.max(0, Math.round(ts - session.startedAt - REPLAY_LEAD_IN_MS));
}

/**
 * Where a listed session's replay opens: with a friction filter, just before its first flag of the
 * filtered types; otherwise at the start (undefined).
 */
export function listReplayOffset(session: Pick<SessionSummary, 'startedAt' | 'firstFrictionAt'>, filters: SessionFilters): number | undefined {
  const moments = filters.friction.map((type) => session.firstFrictionAt[type]).filter((ts) => ts !== undefined);
  return moments.length ? replayOffsetFor(session, Math.min(...moments)) : undefined;
}
