// Typed client for the frictionlens HTTP API; every failure becomes an ApiClientError.
import type { AuthSession, DeletedUserSessions, SignedOut } from './contract';
import type { Deleted, Funnel, FunnelFrictionRow, FunnelInput, FunnelList, FunnelReport, FunnelSessionList, Goal, GoalInput, GoalList, ImpactReport, ImpactSessionList, Opportunity } from './contract';
import type { FormAbandonmentList, FormDropOff, FormList } from './contract';
import type {
  ApiErrorBody,
  ApiErrorCode,
  CreatedSite,
  FrictionSummary,
  FrictionTimeseries,
  HeatmapData,
  HeatmapDevice,
  HeatmapElementList,
  HeatmapElementSessionList,
  HeatmapKind,
  HeatmapPageList,
  HeatmapScroll,
  HeatmapSnapshot,
  SessionBatchList,
  SessionDetail,
  SessionList,
  SessionTimeline,
  Site,
  SiteList,
  WatchedMark,
} from './contract';

/** Server codes plus the two failures that never reach (or never come back from) the server. */
export type ApiClientErrorCode = ApiErrorCode | 'network_error' | 'invalid_response';

export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';
  constructor(
    /** HTTP status; 0 when the request never got a response. */
    readonly status: number,
    readonly code: ApiClientErrorCode,
    message: string,
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The viewer is signed in by its HttpOnly session cookie, which the browser sends with every
 * same-origin request; page script never holds a credential, so none is sent from here.
 */
export interface ApiClientOptions {
  /** Defaults to the global fetch; tests pass a fake. */
  fetch?: FetchLike;
  /** Called before a 401 is thrown, so one place can sign the user out. */
  onUnauthorized?: (error: ApiClientError) => void;
}

export interface SessionListQuery {
  site: string;
  limit?: number;
  before?: string | null;
  /** Sort and filter parameters, as sessionListApiParams() makes them. */
  filters?: Record<string, string>;
}

export interface NewSite {
  name: string;
  origins: string[];
}

/** A heatmap page at a device class; kind where it applies. */
export interface HeatmapQuery {
  site: string;
  url: string;
  device: HeatmapDevice;
  kind?: HeatmapKind;
}

/** Who is signed in: the viewer's first question on every load (prefetched by main.ts). */
export const AUTH_SESSION_PATH = '/api/auth/session';
/** The paths of a replay's requests, shared with replay-prefetch.ts so a prefetched answer is found under the same path. */
export const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
export const batchListPath = (id: string, from = 0) => `${sessionPath(id)}/batches${from > 0 ? `?from=${from}` : ''}`;
export const batchDataPath = (id: string, from: number, to: number) => `${sessionPath(id)}/batches/data?from=${from}&to=${to}`;
/** The batches the moment `atMs` (ms from the session's start) needs, as the server plans them: what a replay link asks for alongside the batch list. */
export const batchMomentPath = (id: string, atMs: number) => `${sessionPath(id)}/batches/data?at=${Math.max(0, Math.round(atMs))}`;

export class ApiClient {
  readonly #fetch: FetchLike;
  readonly #onUnauthorized: ((error: ApiClientError) => void) | undefined;

  constructor({ fetch: fetchImpl, onUnauthorized }: ApiClientOptions = {}) {
    // Called as a plain function: invoking window.fetch as a method of another object throws "Illegal invocation".
    const f = fetchImpl ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
    this.#fetch = (input, init) => f(input, init);
    this.#onUnauthorized = onUnauthorized;
  }

  /** Who the cookie (or a Bearer header) signs in; 401 when no one. */
  getAuthSession(): Promise<AuthSession> {
    return this.#request('GET', AUTH_SESSION_PATH);
  }

  /** Trades the admin token for a session cookie, once; the token is not kept anywhere. */
  startAuthSession(token: string): Promise<AuthSession> {
    return this.#request('POST', '/api/auth/session', { token });
  }

  /** Ends the sign-in session on the server, so the cookie is worth nothing wherever a copy went. */
  endAuthSession(): Promise<SignedOut> {
    return this.#request('DELETE', '/api/auth/session');
  }

  listSites(): Promise<SiteList> {
    return this.#request('GET', '/api/sites');
  }

  createSite(site: NewSite): Promise<CreatedSite> {
    return this.#request('POST', '/api/sites', site);
  }

  /** Marks a session watched (or not) for everyone who uses this server. */
  setWatched(id: string, watched: boolean): Promise<WatchedMark> {
    return this.#request(watched ? 'PUT' : 'DELETE', `/api/sessions/${encodeURIComponent(id)}/watched`);
  }

  getFrictionSummary(site: string, from: number, to: number): Promise<FrictionSummary> {
    return this.#request('GET', `/api/friction/summary?${new URLSearchParams({ site, from: String(from), to: String(to) })}`);
  }

  getFrictionTimeseries(site: string, from: number, to: number): Promise<FrictionTimeseries> {
    return this.#request('GET', `/api/friction/timeseries?${new URLSearchParams({ site, from: String(from), to: String(to) })}`);
  }

  listSessions({ site, limit, before, filters }: SessionListQuery): Promise<SessionList> {
    const params = new URLSearchParams({ site, ...filters });
    if (limit !== undefined) params.set('limit', String(limit));
    if (before) params.set('before', before);
    return this.#request('GET', `/api/sessions?${params}`);
  }

  getSession(id: string): Promise<SessionDetail> {
    return this.#request('GET', sessionPath(id));
  }

  /** The session's pages, clicks, errors, failed requests and friction flags in time order. */
  getSessionTimeline(id: string): Promise<SessionTimeline> {
    return this.#request('GET', `/api/sessions/${encodeURIComponent(id)}/timeline`);
  }

  /** One page of the session's stored batches; pass the answer's nextFrom as `from` for the next. */
  listSessionBatches(id: string, from = 0): Promise<SessionBatchList> {
    return this.#request('GET', batchListPath(id, from));
  }

  /** Stored batches with from <= seq <= to as far as one response goes, as framed bytes (see readBatchFrames). */
  async getBatchData(id: string, from: number, to: number): Promise<ArrayBuffer> {
    const response = await this.#send('GET', batchDataPath(id, from, to));
    try {
      return await response.arrayBuffer();
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiClientError(0, 'network_error', `The connection broke while loading the recording (${detail}).`);
    }
  }

  getHeatmap(query: HeatmapQuery): Promise<HeatmapData> {
    return this.#request('GET', `/api/heatmap?${heatmapParams(query)}`);
  }

  listHeatmapPages(site: string, device?: HeatmapDevice): Promise<HeatmapPageList> {
    return this.#request('GET', `/api/heatmap/pages?${new URLSearchParams(device ? { site, device } : { site })}`);
  }

  getHeatmapElements(query: HeatmapQuery): Promise<HeatmapElementList> {
    return this.#request('GET', `/api/heatmap/elements?${heatmapParams(query)}`);
  }

  getHeatmapElementSessions(query: HeatmapQuery, selector: string): Promise<HeatmapElementSessionList> {
    return this.#request('GET', `/api/heatmap/element-sessions?${heatmapParams(query, { selector })}`);
  }

  getHeatmapScroll(query: HeatmapQuery): Promise<HeatmapScroll> {
    return this.#request('GET', `/api/heatmap/scroll?${heatmapParams(query)}`);
  }

  getHeatmapSnapshot(query: HeatmapQuery): Promise<HeatmapSnapshot> {
    return this.#request('GET', `/api/heatmap/snapshot?${heatmapParams(query)}`);
  }

  setUrlPatterns(siteId: string, urlPatterns: string[]): Promise<Site> {
    return this.#request('PATCH', `/api/sites/${encodeURIComponent(siteId)}`, { urlPatterns });
  }

  /** Whole days to keep a site's sessions, or null to keep them until deleted. */
  setRetentionDays(siteId: string, retentionDays: number | null): Promise<Site> {
    return this.#request('PATCH', `/api/sites/${encodeURIComponent(siteId)}`, { retentionDays });
  }

  /** Deletes one recording with everything derived from it. */
  deleteSession(id: string): Promise<Deleted> {
    return this.#request('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  /** Deletes every session of the site in which the page identified this user id (a privacy request). */
  deleteUserSessions(siteId: string, userId: string): Promise<DeletedUserSessions> {
    return this.#request('DELETE', `/api/sites/${encodeURIComponent(siteId)}/users/${encodeURIComponent(userId)}`);
  }

  listGoals(siteId: string): Promise<GoalList> {
    return this.#request('GET', `/api/sites/${encodeURIComponent(siteId)}/goals`);
  }

  createGoal(siteId: string, goal: GoalInput): Promise<Goal> {
    return this.#request('POST', `/api/sites/${encodeURIComponent(siteId)}/goals`, goal);
  }

  updateGoal(id: string, goal: GoalInput): Promise<Goal> {
    return this.#request('PUT', `/api/goals/${encodeURIComponent(id)}`, goal);
  }

  deleteGoal(id: string): Promise<Deleted> {
    return this.#request('DELETE', `/api/goals/${encodeURIComponent(id)}`);
  }

  listFunnels(siteId: string): Promise<FunnelList> {
    return this.#request('GET', `/api/sites/${encodeURIComponent(siteId)}/funnels`);
  }

  createFunnel(siteId: string, funnel: FunnelInput): Promise<Funnel> {
    return this.#request('POST', `/api/sites/${encodeURIComponent(siteId)}/funnels`, funnel);
  }

  updateFunnel(id: string, funnel: FunnelInput): Promise<Funnel> {
    return this.#request('PUT', `/api/funnels/${encodeURIComponent(id)}`, funnel);
  }

  deleteFunnel(id: string): Promise<Deleted> {
    return this.#request('DELETE', `/api/funnels/${encodeURIComponent(id)}`);
  }

  getImpact(query: ImpactQuery): Promise<ImpactReport> {
    return this.#request('GET', `/api/impact?${new URLSearchParams(rangeParams({ site: query.site, goal: query.goal }, query))}`);
  }

  getImpactSessions(query: ImpactQuery, opportunity: OpportunityRef): Promise<ImpactSessionList> {
    const params: Record<string, string> = { site: query.site, goal: query.goal, type: opportunity.type, page: opportunity.page };
    if (opportunity.target !== null) params.target = opportunity.target;
    if (opportunity.field !== null) params.field = opportunity.field;
    return this.#request('GET', `/api/impact/sessions?${new URLSearchParams(rangeParams(params, query))}`);
  }

  getFunnelReport(id: string, range: ReportRange = {}): Promise<FunnelReport> {
    return this.#request('GET', `/api/funnels/${encodeURIComponent(id)}/report?${new URLSearchParams(rangeParams({}, range))}`);
  }

  getFunnelSessions(id: string, figure: FunnelFigure, range: ReportRange = {}): Promise<FunnelSessionList> {
    const params: Record<string, string> = { step: String(figure.step), group: figure.group };
    if (figure.friction) params.friction = figure.friction;
    return this.#request('GET', `/api/funnels/${encodeURIComponent(id)}/sessions?${new URLSearchParams(rangeParams(params, range))}`);
  }

  listForms(site: string, range: ReportRange = {}): Promise<FormList> {
    return this.#request('GET', `/api/forms?${new URLSearchParams(rangeParams({ site }, range))}`);
  }

  getFormDropOff(site: string, form: FormRef, range: ReportRange = {}): Promise<FormDropOff> {
    return this.#request('GET', `/api/forms/drop-off?${new URLSearchParams(rangeParams({ site, form: form.form, url: form.url }, range))}`);
  }

  /** A page of the form's abandoning sessions (those that gave up at `field`, when given); pass nextCursor as `before` for the next. */
  listFormSessions(site: string, form: FormRef, { field, before, limit, ...range }: FormSessionsQuery = {}): Promise<FormAbandonmentList> {
    const params: Record<string, string> = { site, form: form.form, url: form.url };
    if (field) params.field = field;
    if (before) params.before = before;
    if (limit !== undefined) params.limit = String(limit);
    return this.#request('GET', `/api/forms/sessions?${new URLSearchParams(rangeParams(params, range))}`);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#send(method, path, body);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiClientError(response.status, 'invalid_response', 'The server sent a response that is not JSON.');
    }
  }

  /** A response with a 2xx status; anything else becomes an ApiClientError. */
  async #send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(path, {
        method,
        headers,
        // The session cookie goes with our own requests only (and SameSite=Strict keeps it off anyone else's).
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiClientError(0, 'network_error', `Could not reach the server (${detail}).`);
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (error.isUnauthorized) this.#onUnauthorized?.(error);
      throw error;
    }
    return response;
  }
}

function heatmapParams({ site, url, device, kind }: HeatmapQuery, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ site, url, device, ...(kind ? { kind } : {}), ...extra });
}

async function errorFromResponse(response: Response): Promise<ApiClientError> {
  const fallbackCode = codeForStatus(response.status);
  const fallback = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  try {
    const body = (await response.json()) as Partial<ApiErrorBody> | null;
    const error = body?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiClientError(response.status, error.code, error.message);
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall through to the status line.
  }
  return new ApiClientError(response.status, fallbackCode, fallback);
}

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'internal';
}

/** A report's time range, ms since epoch; the server's default (the last 30 days) when absent. */
export interface ReportRange {
  from?: number;
  to?: number;
}

export interface ImpactQuery extends ReportRange {
  site: string;
  goal: string;
}

/** What names an opportunity: its type, page and target. */
export interface OpportunityRef {
  type: Opportunity['type'];
  page: string;
  target: string | null;
  field: string | null;
}

/** One figure of a funnel report: the sessions that reached step `step`, went on, or dropped off (with a friction type). */
export interface FunnelFigure {
  step: number;
  group: 'reached' | 'continued' | 'dropped';
  friction?: FunnelFrictionRow['type'];
}

/** A form on a page: its recorded selector and the page's origin and path. */
export interface FormRef {
  form: string;
  url: string;
}

export interface FormSessionsQuery extends ReportRange {
  field?: string | null;
  before?: string | null;
  limit?: number;
}

function rangeParams(params: Record<string, string>, { from, to }: ReportRange): Record<string, string> {
  return { ...params, ...(from === undefined ? {} : { from: String(from) }), ...(to === undefined ? {} : { to: String(to) }) };
}
