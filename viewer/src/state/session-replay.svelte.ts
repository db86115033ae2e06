// One session's metadata and events, streamed batch by batch; playable as soon as the requested moment has arrived.
import { EventType } from '@rrweb/types';
import type { ApiClient } from '../lib/api-client';
import { MAX_REPLAY_JSON_BYTES, loadBatches } from '../lib/batch-loader';
import type { BatchSummary, SessionDetail, eventWithTime } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import { formatOffset } from '../lib/format';
import { planLoad, replayStartTs } from '../lib/load-plan';
import { pageMarks, recordedViewport } from '../lib/replay-timeline';
import type { LoadStatus } from './load-status';

/** Performance marks of a replay's loading, read by bench/replay-first-frame.ts (and any profiler) to split its time. */
export const REPLAY_MARKS = {
  listed: 'frictionlens:replay-listed',
  needed: 'frictionlens:replay-needed-batches-in',
  complete: 'frictionlens:replay-all-batches-in',
  playerMounting: 'frictionlens:replay-player-mounting',
  playerBuilt: 'frictionlens:replay-player-built',
  seeked: 'frictionlens:replay-seeked',
} as const;

/** rrweb's Replayer throws on fewer events ("Replayer need at least 2 events"). */
export const MIN_REPLAY_EVENTS = 2;
/** The rest of a recording waits at most this long for the player's first frame (a player that never comes must not hold it forever). */
export const FIRST_FRAME_WAIT_MS = 5000;
/**
 * Tag of the event put first when playback starts from a later batch: rrweb's clock starts at its
 * first event, and this keeps it at the session's start, so every offset means the same before and
 * after the earlier batches are filled in. The viewer's own; never stored or sent.
 */
export const REPLAY_START_TAG = 'frictionlens.replay-start';

export class SessionReplay {
  readonly #client: ApiClient;
  readonly #maxJsonBytes: number;
  readonly #firstFrameWaitMs: number;
  /** Counts loads, so an answer for a session no longer open is dropped; plain, as load() runs inside effects. */
  #loads = 0;
  #generation = $state(0);
  /** 'ready' once the batches up to the requested moment are in: the rest keep arriving behind it. */
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #detail = $state.raw<SessionDetail | null>(null);
  /** Grows only by appending, in seq order; a new array each time, so readers can add what is new. */
  #events = $state.raw<eventWithTime[]>([]);
  /** The replay's zero (its earliest event) and last event, ms since epoch; null before the batches are listed. */
  #startTs = $state<number | null>(null);
  #endTs = $state<number | null>(null);
  /** Changes when the events were replaced rather than appended to (the earlier batches filled in): the player starts over. */
  #remounts = $state(0);
  /** Ms from the start where the loaded events begin while the batches before them are still coming; null once they are in. */
  #missingBeforeMs = $state<number | null>(null);
  #batchCount = $state(0);
  #loadedBatches = $state(0);
  #skippedBatches = $state(0);
  #complete = $state(false);
  /** Why the rest of the recording is not coming: it is too large, or its loading failed after playback could start. */
  #stopped = $state<string | null>(null);
  /** Resolves the current load's wait for the first frame; see shown(). */
  #onShown: (() => void) | null = null;
  /** The batches up to the moment are in and the player is building or drawing its first frame. */
  #awaitingFirstFrame = $state(false);
  #pages = $derived(this.#detail ? pageMarks(this.#detail.pages, this.#events) : []);
  #viewport = $derived(recordedViewport(this.#events));
  #canReplay = $derived(this.#events.length >= MIN_REPLAY_EVENTS);

  constructor(client: ApiClient, { maxJsonBytes = MAX_REPLAY_JSON_BYTES, firstFrameWaitMs = FIRST_FRAME_WAIT_MS } = {}) {
    this.#client = client;
    this.#maxJsonBytes = maxJsonBytes;
    this.#firstFrameWaitMs = firstFrameWaitMs;
  }

  /** Changes with every load(); a player keyed on it starts over for a new session. */
  get generation() {
    return this.#generation;
  }
  /** Changes with every load() and when the events are replaced; a player keyed on it is built again from them. */
  get playerKey() {
    return `${this.#generation}.${this.#remounts}`;
  }
  get startTs() {
    return this.#startTs;
  }
  /** Length of the whole recording, ms, once its batches are listed (the player's own length grows as they arrive). */
  get durationMs() {
    return this.#startTs === null || this.#endTs === null ? 0 : this.#endTs - this.#startTs;
  }
  /** While the batches before the moment's snapshot load, ms from the start where the loaded part begins; null otherwise. */
  get missingBeforeMs() {
    return this.#missingBeforeMs;
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
  get batchCount() {
    return this.#batchCount;
  }
  get loadedBatches() {
    return this.#loadedBatches;
  }
  /** Batches left out because they could not be read. */
  get skippedBatches() {
    return this.#skippedBatches;
  }
  /** Every batch has arrived (or was skipped, or loading stopped): nothing more is coming. */
  get complete() {
    return this.#complete;
  }
  get stopped() {
    return this.#stopped;
  }
  /**
   * The first frame is on screen, or none is coming (nothing to replay, an error, or the wait for it
   * ran out): what the page shows besides the player may render and load now without delaying it.
   */
  get firstFrameSettled() {
    return (this.#status === 'ready' || this.#status === 'error') && !this.#awaitingFirstFrame;
  }

  /** The player calls this once it shows the requested moment; loading the rest goes on from there. */
  shown(): void {
    this.#onShown?.();
  }

  /** Loads the session, ready to play at `atMs` (ms from the replay's start) as soon as the batches up to there arrive. */
  async load(sessionId: string, atMs = 0): Promise<void> {
    const generation = ++this.#loads;
    const current = () => generation === this.#loads;
    this.#generation = generation;
    this.#status = 'loading';
    this.#error = null;
    this.#detail = null;
    this.#events = [];
    this.#startTs = null;
    this.#endTs = null;
    this.#missingBeforeMs = null;
    this.#batchCount = 0;
    this.#loadedBatches = 0;
    this.#skippedBatches = 0;
    this.#complete = false;
    this.#stopped = null;
    this.#onShown = null;
    this.#awaitingFirstFrame = false;
    try {
      const [detail, batches] = await Promise.all([this.#client.getSession(sessionId), this.#listBatches(sessionId)]);
      if (!current()) return;
      performance.mark(REPLAY_MARKS.listed);
      this.#detail = detail;
      this.#batchCount = batches.length;
      const plan = planLoad(batches, atMs);
      if (plan.neededThroughSeq < 0) this.#status = 'ready';
      else this.#startAt(batches, plan.startSeq);
      /** Events of the batches before startSeq, kept aside until all of them are in. */
      const earlier: eventWithTime[] = [];
      const outcome = await loadBatches({
        client: this.#client,
        sessionId,
        requests: plan.requests,
        maxJsonBytes: this.#maxJsonBytes,
        onPiece: (piece) => {
          if (!current()) return false;
          this.#loadedBatches += piece.batches;
          if (piece.throughSeq < plan.startSeq) {
            for (const event of piece.events) earlier.push(event);
            if (piece.throughSeq === plan.lastEarlierSeq) this.#fillInEarlier(earlier);
            return true;
          }
          if (piece.events.length > 0) this.#events = this.#events.concat(piece.events);
          if (piece.throughSeq >= plan.neededThroughSeq && this.#status !== 'ready') {
            performance.mark(REPLAY_MARKS.needed);
            this.#status = 'ready';
            if (this.#canReplay) return this.#firstFrame().then(current);
          }
          return true;
        },
      });
      if (!current()) return;
      performance.mark(REPLAY_MARKS.complete);
      this.#skippedBatches = outcome.skipped;
      if (outcome.truncated) this.#stopped = this.#truncatedMessage();
      this.#complete = true;
      this.#status = 'ready';
    } catch (error) {
      if (!current()) return;
      if (this.#status === 'ready') {
        // What has arrived still plays; only the rest is missing.
        this.#stopped = `The rest of the recording could not be loaded. ${errorMessage(error)}`;
        this.#complete = true;
        return;
      }
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  /** Settles when the player reports its first frame, or after the first-frame wait. */
  #firstFrame(): Promise<void> {
    this.#awaitingFirstFrame = true;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // A later load() may have a wait of its own by now, which this one's end must leave alone.
        if (this.#onShown === done) {
          this.#onShown = null;
          this.#awaitingFirstFrame = false;
        }
        resolve();
      };
      const timer = setTimeout(done, this.#firstFrameWaitMs);
      this.#onShown = done;
    });
  }

  async #listBatches(sessionId: string): Promise<BatchSummary[]> {
    const batches: BatchSummary[] = [];
    let from: number | null = 0;
    while (from !== null) {
      const page = await this.#client.listSessionBatches(sessionId, from);
      batches.push(...page.batches);
      from = page.nextFrom;
    }
    return batches;
  }

  /** Sets the replay's span, and when playback starts after the first batch, puts REPLAY_START_TAG at the session's start. */
  #startAt(batches: readonly BatchSummary[], startSeq: number): void {
    const startTs = replayStartTs(batches);
    this.#startTs = startTs;
    this.#endTs = batches.reduce((max, batch) => Math.max(max, batch.lastTs), -Infinity);
    if (startSeq === batches[0]!.seq) return;
    const first = batches.find((batch) => batch.seq === startSeq)!;
    this.#missingBeforeMs = Math.max(0, (first.snapshotTs ?? first.firstTs) - startTs);
    this.#events = [{ type: EventType.Custom, timestamp: startTs, data: { tag: REPLAY_START_TAG, payload: {} } }];
  }

  /**
   * The batches before the start are all in: the events become the whole recording, in seq order,
   * and the player is built again from them (rrweb applies an event added before its current
   * position at once, out of order, so they cannot be added to the running player).
   */
  #fillInEarlier(earlier: eventWithTime[]): void {
    const placeholder = this.#events[0]?.type === EventType.Custom && (this.#events[0].data as { tag?: string }).tag === REPLAY_START_TAG;
    this.#events = earlier.concat(placeholder ? this.#events.slice(1) : this.#events);
    earlier.length = 0;
    this.#missingBeforeMs = null;
    this.#remounts++;
  }

  #truncatedMessage(): string {
    const limitMb = Math.round(this.#maxJsonBytes / (1024 * 1024));
    const message = `This recording is too large to replay in full: the viewer loads at most ${limitMb} MB of it.`;
    const start = this.#startTs ?? 0;
    let last = -Infinity;
    for (const event of this.#events) if (event.timestamp > last) last = event.timestamp;
    if (!Number.isFinite(last)) return message;
    const end = formatOffset(last - start);
    return this.#missingBeforeMs === null
      ? `${message} The replay ends at ${end}.`
      : `${message} The replay covers ${formatOffset(this.#missingBeforeMs)} to ${end}.`;
  }
}
