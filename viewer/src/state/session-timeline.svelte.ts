// One session's timeline (pages, clicks, errors, failed requests, friction) for the player's side panel and markers.
import type { ApiClient } from '../lib/api-client';
import type { SessionTimeline, TimelineEntry, TimelineKind } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

export class SessionTimelineState {
  readonly #client: ApiClient;
  /** Counts loads, so an answer for a session no longer open is dropped. */
  #loads = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #timeline = $state.raw<SessionTimeline | null>(null);
  #omittedTotal = $derived(this.#timeline ? Object.values(this.#timeline.omitted).reduce((sum, n) => sum + n, 0) : 0);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get entries(): readonly TimelineEntry[] {
    return this.#timeline?.entries ?? [];
  }
  get omitted(): Readonly<Record<TimelineKind, number>> | null {
    return this.#timeline?.omitted ?? null;
  }
  /** Entries of each kind the server sends at most. */
  get limit() {
    return this.#timeline?.limit ?? 0;
  }
  /** Entries of every kind left out past the server's limit. */
  get omittedTotal() {
    return this.#omittedTotal;
  }
  /** Batches the server has not analysed yet: their entries are still to come. */
  get pendingBatches() {
    return this.#timeline?.pendingBatches ?? 0;
  }

  async load(sessionId: string): Promise<void> {
    const load = ++this.#loads;
    this.#status = 'loading';
    this.#error = null;
    this.#timeline = null;
    try {
      const timeline = await this.#client.getSessionTimeline(sessionId);
      if (load !== this.#loads) return;
      this.#timeline = timeline;
      this.#status = 'ready';
    } catch (error) {
      if (load !== this.#loads) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }
}
