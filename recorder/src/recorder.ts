// Records one tab's page loads into its session: rrweb events in, batches out, on a timer and as the page goes.
import { EventType, type eventWithTime } from '@rrweb/types';
import { KEEPALIVE_MAX_BODY_BYTES, type BatchSender } from './batch-sender';
import { createEventBuffer } from './event-buffer';
import { createGuard } from './guard';
import { isActivityEvent } from './is-activity-event';
import { observePageLifecycle, type LifecycleWindow } from './observe-page-lifecycle';
import { createPageViewEvent } from './page-view-event';
import type { RecordingEngine } from './recording-engine';
import { serializeBatch, type BatchHeader } from './serialize-batch';
import type { SessionStore } from './session-store';
import { splitForKeepalive } from './split-for-keepalive';
import { utf8ByteLength } from './utf8-byte-length';
import { WIRE_FORMAT_VERSION } from './wire/format';

/** Regular flush period; short enough that a closed tab loses little, long enough to batch well. */
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
  /** Told once, on the first internal fault, after recording has stopped. */
  onFault?: (error: unknown) => void;
}

export interface Recorder {
  /** The session being recorded into; null once stopped. */
  readonly sessionId: string | null;
  /** Stops recording and sends what is buffered. */
  stop(): void;
}

/** One page load's recording: rrweb restarts, and the page gets a new id, after a bfcache restore. */
interface Page {
  id: string;
  url: string;
  pageViewSent: boolean;
}

export function createRecorder({ win, engine, store, sender, now, createId, onFault }: RecorderDeps): Recorder {
  const buffer = createEventBuffer();
  const guard = createGuard((error) => {
    teardown();
    onFault?.(error);
  });
  let page = newPage();
  let stopEngine: (() => void) | null = null;
  let stopped = false;

  function newPage(): Page {
    return { id: createId(), url: win.location.href, pageViewSent: false };
  }

  function header(seq: number): BatchHeader {
    return { v: WIRE_FORMAT_VERSION, sessionId: store.sessionId, seq, pageId: page.id, url: page.url, sentAt: now() };
  }

  function flush(keepalive = false): void {
    const events = buffer.take();
    if (events.length > 0) sender.send(serializeBatch(header(store.takeSeq()), events), { keepalive });
  }

  /** Synchronous, in keepalive-sized pieces: the page may be gone before a compression finishes. */
  function flushNow(): void {
    const events = buffer.take();
    if (events.length === 0) return;
    // Largest seq and the current clock bound the header's length, so every piece fits its limit.
    const overhead = utf8ByteLength(serializeBatch(header(Number.MAX_SAFE_INTEGER), []));
    const groups = splitForKeepalive(events, KEEPALIVE_MAX_BODY_BYTES, overhead);
    sender.sendNow(groups.map((group) => serializeBatch(header(store.takeSeq()), group)));
  }

  function onEvent(event: eventWithTime): void {
    if (isActivityEvent(event) && !store.touch()) return renewSession(event);
    const full = buffer.push(event);
    if (event.type === EventType.FullSnapshot && !page.pageViewSent) {
      page.pageViewSent = true;
      const { title, referrer } = win.document;
      buffer.push(createPageViewEvent({ url: win.location.href, title, referrer }, event.timestamp));
      // Without its snapshot a page cannot be replayed; send it before a quick click-through navigates away.
      return flush();
    }
    if (full) flush();
  }

  /**
   * The user came back after the session idled out. The event that woke it still belongs to the
   * old recording (it acted on the DOM that recording describes); the new session starts with a
   * fresh snapshot, emitted re-entrantly into onEvent the way rrweb's own checkouts are.
   */
  function renewSession(event: eventWithTime): void {
    buffer.push(event);
    flush();
    store.renew();
    page = newPage();
    engine.takeFullSnapshot();
  }

  function startPage(): void {
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
  const stopLifecycle = observePageLifecycle(win, {
    onHidden: guard.wrap(() => flush(true)),
    onPageHide: guard.wrap(flushNow),
    onRestore: guard.wrap(restorePage),
  });

  /** Each step on its own: a failing one must not keep the others from running. */
  function teardown(): void {
    if (stopped) return;
    stopped = true;
    for (const step of [() => stopEngine?.(), () => win.clearInterval(timer), stopLifecycle]) {
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
      return stopped ? null : store.sessionId;
    },
    stop() {
      if (stopped) return;
      guard.run(() => {
        teardown();
        flush();
      });
    },
  };
}
