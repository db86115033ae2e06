// One site's sessions, filtered and sorted by the server, fetched a page at a time with its cursor.
import type { ApiClient } from '../lib/api-client';
import type { SessionSummary } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import { NO_FILTERS, sessionListApiParams, type SessionFilters } from '../lib/session-filters';
import type { LoadStatus } from './load-status';

/** Big enough that scrolling rarely waits, small enough that the first rows come fast. */
export const SESSIONS_PAGE_SIZE = 100;

export class SessionsList {
  readonly #client: ApiClient;
  #siteId: string | null = null;
  #filters: SessionFilters = NO_FILTERS;
  /** Bumped on every fresh load so answers for a previous site or filter are dropped. */
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #sessions = $state.raw<SessionSummary[]>([]);
  #nextCursor = $state<string | null>(null);
  #loadingMore = $state(false);
  #loadMoreError = $state<string | null>(null);
  #isEmpty = $derived(this.#status === 'ready' && this.#sessions.length === 0);
  #hasMore = $derived(this.#status === 'ready' && this.#nextCursor !== null);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get sessions() {
    return this.#sessions;
  }
  get isEmpty() {
    return this.#isEmpty;
  }
  get hasMore() {
    return this.#hasMore;
  }
  get loadingMore() {
    return this.#loadingMore;
  }
  get loadMoreError() {
    return this.#loadMoreError;
  }

  async load(siteId: string, filters: SessionFilters = NO_FILTERS): Promise<void> {
    this.#siteId = siteId;
    this.#filters = filters;
    const generation = ++this.#generation;
    this.#status = 'loading';
    this.#error = null;
    this.#sessions = [];
    this.#nextCursor = null;
    this.#loadingMore = false;
    this.#loadMoreError = null;
    try {
      const page = await this.#client.listSessions(this.#query(siteId));
      if (generation !== this.#generation) return;
      this.#sessions = page.sessions;
      this.#nextCursor = page.nextCursor;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  /** Loads the current site and filters again from the first page. */
  reload(): Promise<void> {
    return this.#siteId === null ? Promise.resolve() : this.load(this.#siteId, this.#filters);
  }

  async loadMore(): Promise<void> {
    const cursor = this.#nextCursor;
    if (this.#siteId === null || cursor === null || this.#loadingMore || this.#status !== 'ready') return;
    const generation = this.#generation;
    this.#loadingMore = true;
    this.#loadMoreError = null;
    try {
      const page = await this.#client.listSessions({ ...this.#query(this.#siteId), before: cursor });
      if (generation !== this.#generation) return;
      const known = new Set(this.#sessions.map((session) => session.id));
      this.#sessions = [...this.#sessions, ...page.sessions.filter((session) => !known.has(session.id))];
      this.#nextCursor = page.nextCursor;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#loadMoreError = errorMessage(error);
    } finally {
      if (generation === this.#generation) this.#loadingMore = false;
    }
  }

  #query(site: string) {
    const filters = sessionListApiParams(this.#filters);
    return Object.keys(filters).length ? { site, limit: SESSIONS_PAGE_SIZE, filters } : { site, limit: SESSIONS_PAGE_SIZE };
  }
}
