// A replay link's first requests, started as the viewer's script first runs instead of after sign-in is checked and the page is built.
import { batchDataPath, batchListPath, sessionPath, type FetchLike } from './api-client';
import type { SessionBatchList } from './contract';
import { planLoad } from './load-plan';
import { parseRoute } from './route';

/** A prefetched answer older than this is not used: the session may have grown since. */
export const PREFETCH_FRESH_MS = 10_000;

interface Started {
  at: number;
  response: Promise<Response>;
}

/**
 * GET answers fetched ahead, each handed out once to the first request for the same path. Only a
 * 2xx answer is handed out: anything else (signed out, a network failure) is asked for again, so the
 * request behaves exactly as if nothing had been prefetched.
 */
export class Prefetched {
  readonly #network: FetchLike;
  readonly #now: () => number;
  readonly #started = new Map<string, Started>();
  /** Paths the viewer has already fetched itself, in the first PREFETCH_FRESH_MS: starting one of them again would only fetch it twice. */
  readonly #asked = new Set<string>();
  readonly #createdAt: number;

  constructor(network: FetchLike, now: () => number = () => performance.now()) {
    this.#network = network;
    this.#now = now;
    this.#createdAt = now();
  }

  /** Starts a GET of `path`, whose answer waits for the first fetch of that path; null when the viewer asked for it first. */
  start(path: string): Promise<Response> | null {
    if (this.#asked.has(path)) return null;
    const response = this.#network(path, { method: 'GET', credentials: 'same-origin' });
    // Nobody may ever ask for it (a sign-in page instead of the replay): no unhandled rejection then.
    response.catch(() => {});
    this.#started.set(path, { at: this.#now(), response });
    return response;
  }

  /** The viewer's fetch: a prefetched answer for a plain GET of the same path, else the network. */
  readonly fetch: FetchLike = async (input, init) => {
    const started = this.#take(input, init);
    if (started) {
      const response = await started.catch(() => null);
      if (response?.ok) return response;
    } else if (this.#now() - this.#createdAt <= PREFETCH_FRESH_MS) {
      this.#asked.add(input);
    }
    return this.#network(input, init);
  };

  #take(input: string, init: RequestInit | undefined): Promise<Response> | null {
    if ((init?.method ?? 'GET') !== 'GET' || init?.body != null) return null;
    const started = this.#started.get(input);
    if (!started) return null;
    this.#started.delete(input);
    return this.#now() - started.at <= PREFETCH_FRESH_MS ? started.response : null;
  }
}

/**
 * On a replay link (#/sessions/ID?t=…), starts loading the player's code, the session, its batch
 * list and, once the list is in, the first batches the requested moment needs: the same requests
 * SessionReplay makes, in the time the viewer would otherwise spend checking the sign-in and
 * building the page. Does nothing on any other route.
 */
export function prefetchReplay(hash: string, prefetched: Prefetched, loadPlayer: () => Promise<unknown>): void {
  const route = parseRoute(hash);
  if (route.name !== 'session') return;
  loadPlayer().catch(() => {});
  prefetched.start(sessionPath(route.id));
  prefetched
    .start(batchListPath(route.id))
    ?.then((response) => (response.ok ? (response.clone().json() as Promise<SessionBatchList>) : null))
    .then((list) => {
      // A list in several pages is left to the player, which reads them all before planning.
      if (!list || list.nextFrom !== null) return;
      const first = planLoad(list.batches, route.atMs ?? 0).requests[0];
      if (first) prefetched.start(batchDataPath(route.id, first.from, first.to));
    })
    .catch(() => {});
}
