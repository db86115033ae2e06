// A replay link's first requests, started as the viewer's script first runs instead of after sign-in is checked and the page is built.
import { batchDataPath, batchListPath, batchMomentPath, sessionPath, type FetchLike } from './api-client';
import { readBatchFrames, type BatchFrame } from './batch-frames';
import type { SessionBatchList } from './contract';
import { inflatedAhead, type InflatedAhead } from './inflated-ahead';
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
  /** Paths still being planned, by prefix: a fetch under one waits for its plan before it looks for a prefetched answer. */
  readonly #planning = new Map<string, Promise<void>>();

  constructor(network: FetchLike, now: () => number = () => performance.now()) {
    this.#network = network;
    this.#now = now;
    this.#createdAt = now();
  }

  /** Starts a GET of `path`, whose answer waits for the first fetch of that path; null when the viewer asked for it first. */
  start(path: string): Promise<Response> | null {
    if (this.#asked.has(path)) return null;
    const response = this.get(path);
    this.#started.set(path, { at: this.#now(), response });
    return response;
  }

  /** A GET of `path` for the caller alone: handed to no request. */
  get(path: string): Promise<Response> {
    const response = this.#network(path, { method: 'GET', credentials: 'same-origin' });
    // Nobody may ever ask for it (a sign-in page instead of the replay): no unhandled rejection then.
    response.catch(() => {});
    return response;
  }

  /**
   * Makes the first fetch of `path` wait for `answer`: a response fetched under another address
   * that holds the same bytes. When it settles to null, `path` itself is fetched then. Does nothing
   * when the viewer asked for `path` already.
   */
  startAs(path: string, answer: Promise<Response | null>): void {
    if (this.#asked.has(path) || this.#started.has(path)) return;
    const response = answer.catch(() => null).then((found) => found ?? this.get(path));
    response.catch(() => {});
    this.#started.set(path, { at: this.#now(), response });
  }

  /**
   * Paths under `prefix` that `planning` may still start (startAs): until it settles, a fetch of one
   * waits for it rather than going to the network ahead of the answer being prepared for it.
   */
  planning(prefix: string, planning: Promise<unknown>): void {
    const settled: Promise<void> = planning
      .catch(() => {})
      .then(() => {
        if (this.#planning.get(prefix) === settled) this.#planning.delete(prefix);
      });
    this.#planning.set(prefix, settled);
  }

  /** The viewer's fetch: a prefetched answer for a plain GET of the same path, else the network. */
  readonly fetch: FetchLike = async (input, init) => {
    for (const [prefix, planned] of this.#planning) if (input.startsWith(prefix)) await planned;
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
 * list and the batches the requested moment needs, as the server plans them (?at=): the requests
 * SessionReplay makes, in the time the viewer would otherwise spend checking the sign-in and
 * building the page, and the batches alongside the list rather than after it. Those batches are
 * inflated and parsed as soon as they arrive (into `ahead`, which the loader takes them from). Once
 * the list is in, their answer is handed to the request SessionReplay will make for them, when the
 * viewer's own plan (planLoad) asks for exactly those batches; else that request is started then.
 * Does nothing on any other route. Settles once every request it makes has been started.
 */
export async function prefetchReplay(
  hash: string,
  prefetched: Prefetched,
  loadPlayer: () => Promise<unknown>,
  ahead: InflatedAhead = inflatedAhead,
): Promise<void> {
  const route = parseRoute(hash);
  if (route.name !== 'session') return;
  const { id } = route;
  const atMs = route.atMs ?? 0;
  loadPlayer().catch(() => {});
  prefetched.start(sessionPath(id));
  const list = prefetched.start(batchListPath(id))?.then((response) => (response.ok ? (response.clone().json() as Promise<SessionBatchList>) : null));
  if (!list) return;
  const moment = prefetched.get(batchMomentPath(id, atMs));
  const frames = moment
    // A copy: the answer itself may still go to the viewer, unread.
    .then((response) => (response.ok ? response.clone().arrayBuffer() : null))
    .then((data) => {
      const read = data ? readBatchFrames(data) : [];
      ahead.start(id, read);
      return read;
    })
    .catch(() => []);
  const planned = planFirstRequest(id, atMs, prefetched, list, moment, frames);
  prefetched.planning(`${sessionPath(id)}/batches/data`, planned);
  await planned;
}

/**
 * Once the list is in, hands the server's answer for the moment to the request SessionReplay will
 * make first, when it holds exactly those batches (the server plans as planLoad does); else that
 * range is fetched once this is known.
 */
async function planFirstRequest(
  id: string,
  atMs: number,
  prefetched: Prefetched,
  list: Promise<SessionBatchList | null>,
  moment: Promise<Response>,
  frames: Promise<BatchFrame[]>,
): Promise<void> {
  const batches = await list.catch(() => null);
  // A list in several pages is left to the player, which reads them all before planning.
  if (!batches || batches.nextFrom !== null) return;
  const first = planLoad(batches.batches, atMs).requests[0];
  if (!first) return;
  const same = (read: readonly BatchFrame[]) => read.length > 0 && read[0]!.seq === first.from && read[read.length - 1]!.seq === first.to;
  prefetched.startAs(
    batchDataPath(id, first.from, first.to),
    frames.then((read) => (same(read) ? moment : null)),
  );
}
