// One session's metadata and events, and where each of its pages starts on the replay timeline.
import type { ApiClient } from '../lib/api-client';
import type { SessionDetail, eventWithTime } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import { pageMarks, recordedViewport } from '../lib/replay-timeline';
import type { LoadStatus } from './load-status';

/** rrweb's Replayer throws on fewer events ("Replayer need at least 2 events"). */
export const MIN_REPLAY_EVENTS = 2;

export class SessionReplay {
  readonly #client: ApiClient;
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #detail = $state.raw<SessionDetail | null>(null);
  #events = $state.raw<eventWithTime[]>([]);
  #pages = $derived(this.#detail ? pageMarks(this.#detail.pages, this.#events) : []);
  #viewport = $derived(recordedViewport(this.#events));
  #canReplay = $derived(this.#events.length >= MIN_REPLAY_EVENTS);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get detail() {
    return this.#detail;
  }
  get events() {
    return this.#events;
  }
  get pages() {
    return this.#pages;
  }
  /** Size of the recorded browser window, for the player's aspect ratio. */
  get viewport() {
    return this.#viewport;
  }
  get canReplay() {
    return this.#canReplay;
  }

  async load(sessionId: string): Promise<void> {
    const generation = ++this.#generation;
    this.#status = 'loading';
    this.#error = null;
    this.#detail = null;
    this.#events = [];
    try {
      const [detail, events] = await Promise.all([
        this.#client.getSession(sessionId),
        this.#client.getSessionEvents(sessionId),
      ]);
      if (generation !== this.#generation) return;
      this.#detail = detail;
      this.#events = events;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }
}
