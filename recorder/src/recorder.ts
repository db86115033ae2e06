// Records one tab's page loads into its session: rrweb events in, batches out, on a timer and as the page goes.
import { EventType, type eventWithTime } from '@rrweb/types';
import { KEEPALIVE_MAX_BODY_BYTES, type BatchSender, type OutgoingBatch } from './batch-sender';
import { startCapture } from './capture/start-capture';
import { createCustomEvent } from './custom-event';
import { createEventBuffer } from './event-buffer';
import { createFaultEvent } from './fault-event';
import { createGuard } from './guard';
import { isActivityEvent } from './is-activity-event';
import { observePageLifecycle, type LifecycleWindow } from './observe-page-lifecycle';
import type { RecordingEngine } from './recording-engine';
import { packForKeepalive } from './pack-for-keepalive';
import { joinParts, serializeBatchParts, type BatchHeader } from './serialize-batch';
import type { SessionStore } from './session-store';
import { CUSTOM_EVENT_TAGS, WIRE_FORMAT_VERSION, type DroppedPayload } from './wire/format';

/**
 * Regular flush period. Hiding and leaving the page flush at once, and each batch is stored until
 * the server has it, so the period only bounds what a crashed tab loses and how late a live view
 * lags; 5 s keeps that small while batching well (about 12 requests a minute for a busy page).
 */
export const FLUSH_INTERVAL_MS = 5000;

export type RecorderWindow = LifecycleWindow &
  Pick<Window, 'setInterval' | 'clearInterval'> & {
    location: Pick<Location, 'href'>;
    document: Pick<Document, 'title' | 'referrer'>;
  };

export interface RecorderDeps {
  win: RecorderWindow;
  engine: RecordingEngine;
  store: SessionStore;
  sender: BatchSender;
  now: () => number;
  createId: () => string;
  /** Origin batches go to: the capture layer must not report the recorder's own requests. */
  endpoint?: string;
  /** data-mask-text="all": no page text in our own events either. */
  maskAllText?: boolean;
  /** Told once, on the first internal fault, after recording has stopped. */
  onFault?: (error: unknown) => void;
}

export interface Recorder {
  /** The session being recorded into; null once stopped, or when the session is outside the sample. */
  readonly sessionId: string | null;
  /** Stops recording and sends what is buffered, or drops it (consent withdrawn). */
  stop(discard?: boolean): void;
}

/** One page load's recording: rrweb restarts, and the page gets a new id, after a bfcache restore. */
interface Page {
  id: string;
  url: string;
  pageViewSent: boolean;
}

export function createRecorder({ win, engine, store, sender, now, createId, endpoint, maskAllText, onFault }: RecorderDeps): Recorder {
  const buffer = createEventBuffer();
  const guard = createGuard((error) => {
    teardown();
    // Reported once, in a last batch, so a broken recorder shows on the server instead of going quiet.
    try {
      buffer.push(createFaultEvent(error, now()));
      flush(false, true);
    } catch {
      // The fault may be in sending itself; recording has stopped either way.
    }
    onFault?.(error);
  });
  let page = newPage();
  let stopEngine: (() => void) | null = null;
  let stopped = false;

  function newPage(): Page {
    return { id: createId(), url: win.location.href, pageViewSent: false };
  }

  /** final: the page load's last batch; the server's analysis takes the page as complete once it has it. */
  function header(seq: number, final?: true): BatchHeader {
    return { v: WIRE_FORMAT_VERSION, sessionId: store.sessionId, seq, pageId: page.id, url: page.url, sentAt: now(), final };
  }

  function toBatch(events: readonly string[], final?: true, seq = store.takeSeq()): OutgoingBatch {
    const h = header(seq, final);
    const parts = serializeBatchParts(h, events);
    return { sessionId: h.sessionId, seq: h.seq, events: events.length, body: joinParts(parts), parts };
  }

  /** Batches the sender had to drop (its queue was full) show in the stream, where a replay can mark the gap. */
  function reportDrops(): void {
    const dropped = store.sampled && sender.takeDropped();
    if (dropped) buffer.push(createCustomEvent(CUSTOM_EVENT_TAGS.dropped, dropped, now()));
  }

  /** keepalive: the tab is hidden (also at a timer's or a full buffer's flush), and may be closed without another event. */
  function flush(keepalive = win.document.visibilityState == 'hidden', final?: true): void {
    reportDrops();
    const events = buffer.take();
    if (events.length > 0) sender.send(toBatch(events, final), { keepalive });
  }

  /**
   * Synchronous, gzipped on this thread in keepalive-sized batches: the page may be gone before a
   * worker's compression finishes. Called with no events too: the sender still has batches it is
   * compressing, and posts what waits. Capture ends the page view on pagehide, so there is always a
   * last batch to carry final. What cannot go now is reported in a batch of its own, final too.
   */
  function flushNow(): void {
    const maker = {
      takeSeq: () => store.takeSeq(),
      make: (group: readonly string[], seq: number, last: boolean) => toBatch(group, last || undefined, seq),
    };
    const report = (parked: DroppedPayload) => toBatch([JSON.stringify(createCustomEvent(CUSTOM_EVENT_TAGS.dropped, { ...parked, parked: true }, now()))], true);
    sender.sendNow(() => packForKeepalive(buffer.take(), maker, KEEPALIVE_MAX_BODY_BYTES), report);
  }

  function onEvent(event: eventWithTime): void {
    // Outside the sample, capture's events are dropped here too: the session records nothing. A
    // session the server refused (sender, store.refuse) stops this page's recording at its next event.
    if (!store.sampled) return teardown();
    if (isActivityEvent(event) && !store.touch()) return renewSession(event);
    // Each snapshot (the page's first, a periodic checkout, a storm's resume) starts a batch with its
    // Meta: the server takes that batch's snapshot time, and a replay can start at that batch.
    if (event.type === EventType.Meta && buffer.length) flush();
    const full = buffer.push(event);
    if (event.type === EventType.FullSnapshot) {
      if (!page.pageViewSent) {
        page.pageViewSent = true;
        const { title, referrer } = win.document;
        buffer.push(createCustomEvent(CUSTOM_EVENT_TAGS.pageView, { url: win.location.href, title, referrer }, event.timestamp));
      }
      // Without its snapshot a page cannot be replayed; send it before a quick click-through navigates away.
      return flush();
    }
    if (full && event.type !== EventType.Meta) flush();
  }

  /**
   * The user came back after the session idled out. The event that woke it still belongs to the
   * old recording (it acted on the DOM that recording describes); the new session starts with a
   * fresh snapshot, emitted re-entrantly into onEvent the way rrweb's own checkouts are.
   */
  function renewSession(event: eventWithTime): void {
    buffer.push(event);
    // The old page's recording ends here: its last batch.
    flush(false, true);
    store.renew();
    page = newPage();
    // The new session may fall outside the sample: then this page records no more.
    if (store.sampled) return engine.takeFullSnapshot();
    stopEngine?.();
    stopEngine = null;
  }

  function startPage(): void {
    if (!store.sampled) return;
    const stop = engine.start(guard.wrap(onEvent), guard.fail);
    // rrweb may fault during its first snapshot, before it has returned its stop handle.
    if (guard.faulted) stop();
    else stopEngine = stop;
  }

  function restorePage(): void {
    flush();
    stopEngine?.();
    stopEngine = null;
    store.resume();
    page = newPage();
    startPage();
  }

  const timer = win.setInterval(guard.wrap(() => flush()), FLUSH_INTERVAL_MS);
  // Errors, clicks, forms, route changes… as custom events. Before the lifecycle listeners: what
  // ends a page view on pagehide must be in the buffer when flushNow takes it. The real window
  // has all RecorderWindow leaves out; a test's bare stand-in gets nothing started.
  const stopCapture = startCapture(win as unknown as Window & typeof globalThis, guard.wrap(onEvent), guard.wrap, endpoint, maskAllText);
  const stopLifecycle = observePageLifecycle(win, {
    onHidden: guard.wrap(() => flush(true)),
    onPageHide: guard.wrap(() => {
      flushNow();
      store.leave();
    }),
    onRestore: guard.wrap(restorePage),
  });

  /** Each step on its own: a failing one must not keep the others from running. */
  function teardown(): void {
    if (stopped) return;
    stopped = true;
    for (const step of [() => stopEngine?.(), () => win.clearInterval(timer), stopLifecycle, stopCapture, () => store.leave()]) {
      try {
        step();
      } catch {
        // Already stopping; nothing better to do.
      }
    }
    stopEngine = null;
  }

  guard.run(startPage);

  return {
    get sessionId() {
      return stopped || !store.sampled ? null : store.sessionId;
    },
    stop(discard) {
      if (stopped) return;
      guard.run(() => {
        teardown();
        if (discard) {
          buffer.take();
          sender.discard();
        } else flush(false, true);
      });
    },
  };
}
