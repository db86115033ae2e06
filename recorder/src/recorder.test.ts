import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchSender, OutgoingBatch } from './batch-sender';
import { gzipBatchNow } from './gzip-now';
import { FLUSH_INTERVAL_MS, createRecorder, type RecorderWindow } from './recorder';
import type { RecordingEngine } from './recording-engine';
import { createSessionStore, type SessionStorageLike } from './session-store';
import { CUSTOM_EVENT_TAGS, SESSION_IDLE_TIMEOUT_MS, WIRE_FORMAT_VERSION, type DroppedPayload, type IngestBatch } from './wire/format';

const T0 = 1_700_000_000_000;

/** Drives the recorder the way rrweb would: emit() is what rrweb calls back. */
function fakeEngine() {
  const engine = {
    emit: (_event: eventWithTime) => {},
    onError: (_error: unknown) => {},
    starts: 0,
    stops: 0,
    start(emit: (event: eventWithTime) => void, onError: (error: unknown) => void) {
      engine.starts++;
      engine.emit = emit;
      engine.onError = onError;
      engine.snapshot();
      return () => void engine.stops++;
    },
    takeFullSnapshot: () => engine.snapshot(),
    snapshot() {
      engine.emit({ type: EventType.Meta, data: { href: 'https://shop.test/cart', width: 1280, height: 720 }, timestamp: Date.now() });
      engine.emit({ type: EventType.FullSnapshot, data: { node: { id: 1 }, initialOffset: { top: 0, left: 0 } }, timestamp: Date.now() } as unknown as eventWithTime);
    },
    click: (id = 7) =>
      engine.emit({ type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.MouseInteraction, type: 2, id, x: 1, y: 2 }, timestamp: Date.now() } as eventWithTime),
    mutation: () =>
      engine.emit({ type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.Mutation, texts: [], attributes: [], removes: [], adds: [] }, timestamp: Date.now() }),
  };
  return engine satisfies RecordingEngine;
}

function fakeSender() {
  const sent: Array<{ batch: IngestBatch; keepalive: boolean; now: boolean }> = [];
  const dropped: { next: DroppedPayload | null; sendNowCalls: number; discards: number; report?: (parked: DroppedPayload) => OutgoingBatch } = {
    next: null,
    sendNowCalls: 0,
    discards: 0,
  };
  /** Sizes of the gzip bodies handed over at pagehide. */
  const gzipped: number[] = [];
  /** The header the sender reads must match the body it posts (gzipped at pagehide). */
  const parse = (batch: OutgoingBatch): IngestBatch => {
    const parsed = JSON.parse(batch.gzip ? gunzipSync(batch.gzip).toString() : batch.body) as IngestBatch;
    expect([batch.sessionId, batch.seq, batch.events]).toEqual([parsed.sessionId, parsed.seq, parsed.events.length]);
    return parsed;
  };
  const sender: BatchSender = {
    send: (batch, options) => void sent.push({ batch: parse(batch), keepalive: options?.keepalive === true, now: false }),
    sendNow: (pack, report) => {
      dropped.sendNowCalls++;
      dropped.report = report;
      pack().forEach((batch) => {
        if (batch.gzip) gzipped.push(batch.gzip.length);
        sent.push({ batch: parse(batch), keepalive: true, now: true });
      });
    },
    takeDropped: () => {
      const next = dropped.next;
      dropped.next = null;
      return next;
    },
    discard: () => void dropped.discards++,
  };
  return { sender, sent, dropped, gzipped: () => gzipped };
}

function fakeWindow() {
  const document = Object.assign(new EventTarget(), { title: 'Cart · Demo shop', referrer: 'https://shop.test/', visibilityState: 'visible' as DocumentVisibilityState });
  return Object.assign(new EventTarget(), {
    document,
    location: { href: 'https://shop.test/cart' },
    setInterval: (fn: () => void, ms: number) => setInterval(fn, ms) as unknown as number,
    clearInterval: (id: number) => clearInterval(id),
  }) as unknown as RecorderWindow & EventTarget & { document: typeof document };
}

function setup(storage: SessionStorageLike = memoryStorage(), sampleRate = 1, tab = '') {
  let ids = 0;
  const createId = (prefix: string) => () => `${tab}${prefix}-${++ids}`;
  const engine = fakeEngine();
  const { sender, sent, dropped, gzipped } = fakeSender();
  const win = fakeWindow();
  const faults: unknown[] = [];
  const store = createSessionStore({ storage, now: Date.now, createId: createId('session'), sampleRate });
  const recorder = createRecorder({ win, engine, store, sender, now: Date.now, createId: createId('page'), onFault: (e) => faults.push(e) });
  return { recorder, engine, sent, win, faults, storage, dropped, gzipped, store };
}

function memoryStorage(): SessionStorageLike {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

/** What Chrome's "Duplicate tab" does: the new tab starts with a copy of the old one's sessionStorage. */
function copyOf(storage: SessionStorageLike): SessionStorageLike {
  const copy = memoryStorage();
  for (const key of ['frictionlens.session', 'frictionlens.live']) {
    const value = storage.getItem(key);
    if (value !== null) copy.setItem(key, value);
  }
  return copy;
}

const types = (batch: IngestBatch) => batch.events.map((e) => e.type);

describe('createRecorder', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('sends the snapshot and the page view at once as the first batch of the session', () => {
    const { sent, recorder } = setup();
    expect(sent).toHaveLength(1);
    const { batch, keepalive } = sent[0]!;
    expect(batch).toMatchObject({ v: WIRE_FORMAT_VERSION, sessionId: 'session-1', seq: 0, pageId: 'page-2', url: 'https://shop.test/cart', sentAt: T0 });
    expect(keepalive).toBe(false);
    expect(types(batch)).toEqual([EventType.Meta, EventType.FullSnapshot, EventType.Custom]);
    expect(batch.events[2]).toEqual({
      type: EventType.Custom,
      data: { tag: CUSTOM_EVENT_TAGS.pageView, payload: { url: 'https://shop.test/cart', title: 'Cart · Demo shop', referrer: 'https://shop.test/' } },
      timestamp: T0,
    });
    expect(recorder.sessionId).toBe('session-1');
  });

  it('flushes every FLUSH_INTERVAL_MS, only when something is buffered', () => {
    const { sent, engine } = setup();
    engine.click();
    engine.mutation();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(sent.map((s) => s.batch.seq)).toEqual([0, 1]);
    expect(types(sent[1]!.batch)).toEqual([EventType.IncrementalSnapshot, EventType.IncrementalSnapshot]);
  });

  it('flushes early once 200 events wait', () => {
    const { sent, engine } = setup();
    for (let i = 0; i < 199; i++) engine.mutation();
    expect(sent).toHaveLength(1);
    engine.mutation();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.events).toHaveLength(200);
  });

  it('continues seq on the next page load of the same tab, with a new page id', () => {
    const storage = memoryStorage();
    const first = setup(storage);
    first.engine.click();
    first.win.dispatchEvent(new Event('pagehide'));
    const second = setup(storage);
    expect(first.sent.map((s) => [s.batch.seq, s.batch.sessionId])).toEqual([[0, 'session-1'], [1, 'session-1']]);
    expect(second.sent.map((s) => [s.batch.seq, s.batch.sessionId, s.batch.pageId])).toEqual([[2, 'session-1', 'page-1']]);
  });

  it('a copy of the tab (sessionStorage copied while a page records) starts its own session; a reload does not', () => {
    const storage = memoryStorage();
    const original = setup(storage);
    const copy = setup(copyOf(storage), 1, 'copy-');
    expect(original.sent.map((s) => [s.batch.sessionId, s.batch.seq])).toEqual([['session-1', 0]]);
    expect(copy.sent.map((s) => [s.batch.sessionId, s.batch.seq])).toEqual([['copy-session-1', 0]]);
    original.win.dispatchEvent(new Event('pagehide'));
    const reloaded = setup(storage, 1, 'reload-');
    expect(reloaded.sent.map((s) => [s.batch.sessionId, s.batch.seq])).toEqual([['session-1', 1]]);
  });

  it('stop() lets the next page load of the tab resume the session', () => {
    const storage = memoryStorage();
    const first = setup(storage);
    first.recorder.stop();
    expect(setup(storage).sent.map((s) => [s.batch.sessionId, s.batch.seq])).toEqual([['session-1', 1]]);
  });

  it('a session the server refused (store.refuse) stops recording at its next event and sends nothing more, on this page load and the next', () => {
    const storage = memoryStorage();
    const first = setup(storage);
    expect(first.sent).toHaveLength(1);
    first.store.refuse();
    first.engine.click();
    expect(first.engine.stops).toBe(1);
    expect(first.recorder.sessionId).toBeNull();
    first.engine.mutation();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    first.win.dispatchEvent(new Event('pagehide'));
    expect(first.sent).toHaveLength(1);
    const second = setup(storage);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect([second.engine.starts, second.sent.length]).toEqual([0, 0]);
  });

  it('on pagehide hands over to the sender even with nothing buffered: it may hold batches still compressing', () => {
    const { sent, win, dropped } = setup();
    win.dispatchEvent(new Event('pagehide'));
    expect([sent.length, dropped.sendNowCalls]).toEqual([1, 1]);
  });

  it('reports batches the sender dropped as a dropped custom event in the next batch', () => {
    const { sent, engine, dropped } = setup();
    dropped.next = { batches: 3, events: 41 };
    engine.click();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(sent[1]!.batch.events.map((e) => [e.type, (e.data as { tag?: string }).tag])).toEqual([
      [EventType.IncrementalSnapshot, undefined],
      [EventType.Custom, CUSTOM_EVENT_TAGS.dropped],
    ]);
    expect(sent[1]!.batch.events[1]).toMatchObject({ data: { payload: { batches: 3, events: 41 } }, timestamp: T0 + FLUSH_INTERVAL_MS });
  });

  it('records and sends nothing in a session outside the sample, on this page load and the next', () => {
    const storage = memoryStorage();
    const first = setup(storage, 0);
    first.dropped.next = { batches: 1, events: 1 };
    first.engine.emit({ type: EventType.Custom, data: { tag: CUSTOM_EVENT_TAGS.click, payload: {} }, timestamp: Date.now() } as eventWithTime);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    first.win.dispatchEvent(new Event('pagehide'));
    expect(first.engine.starts).toBe(0);
    expect(first.recorder.sessionId).toBeNull();
    const second = setup(storage, 1); // the decision is the session's, not the page load's
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect([first.sent, second.sent]).toEqual([[], []]);
    expect(second.engine.starts).toBe(0);
  });

  it('on pagehide sends synchronously in pieces that fit a keepalive body', () => {
    const { sent, engine, win } = setup();
    for (let i = 0; i < 150; i++) engine.click(i); // ~100 bytes each: fits in one piece
    win.dispatchEvent(new Event('pagehide'));
    expect(sent.slice(1).map((s) => [s.now, s.batch.seq, s.batch.events.length, s.batch.final])).toEqual([[true, 1, 150, true]]);
  });

  it('marks final only the page load\'s last batch: not the regular, early or hidden-tab flushes', () => {
    const { sent, engine, win } = setup();
    engine.click();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    for (let i = 0; i < 200; i++) engine.mutation();
    engine.click();
    win.document.visibilityState = 'hidden';
    win.document.dispatchEvent(new Event('visibilitychange'));
    engine.click();
    win.dispatchEvent(new Event('pagehide'));
    expect(sent.map((s) => [s.batch.seq, s.batch.final])).toEqual([[0, undefined], [1, undefined], [2, undefined], [3, undefined], [4, true]]);
  });

  it('on pagehide gzips the buffer here, in one body when it compresses under 60 KB', () => {
    const { sent, engine, win, gzipped } = setup();
    // 200 KB of a summary re-rendered on every keystroke: far over a keepalive body as JSON.
    const row = 'Merino sock, size 36 × 2: €12.34 '.repeat(60);
    for (let i = 0; i < 100; i++)
      engine.emit({ type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.Mutation, texts: [{ id: i, value: row }], attributes: [], removes: [], adds: [] }, timestamp: Date.now() });
    win.dispatchEvent(new Event('pagehide'));
    expect(sent.filter((s) => s.now).map((s) => [s.batch.seq, s.batch.events.length, s.batch.final])).toEqual([[1, 100, true]]);
    expect(gzipped().at(-1)!).toBeLessThan(60_000);
  });

  it('splits a pagehide buffer whose gzip would not fit one keepalive body, only the last piece final', () => {
    const { sent, engine, win, gzipped } = setup();
    for (let i = 0; i < 5; i++) {
      const noise = randomBytes(11_250).toString('base64'); // 15 KB that gzip cannot shrink
      engine.emit({ type: EventType.IncrementalSnapshot, data: { source: IncrementalSource.Mutation, texts: [{ id: i, value: noise }], attributes: [], removes: [], adds: [] }, timestamp: Date.now() });
    }
    win.dispatchEvent(new Event('pagehide'));
    // 75 KB of gzip halved to 3 events (about 45 KB), then the 2 left.
    const pieces = sent.filter((s) => s.now);
    expect(pieces.map((s) => [s.batch.seq, s.batch.events.length, s.batch.final])).toEqual([[1, 3, undefined], [2, 2, true]]);
    for (const bytes of gzipped()) expect(bytes).toBeLessThanOrEqual(60_000);
  });

  it('on pagehide gives the sender a report of what it must leave stored: a dropped event, parked, in a final batch of the next seq', () => {
    const { sent, engine, win, dropped } = setup();
    engine.click();
    win.dispatchEvent(new Event('pagehide'));
    const report = dropped.report!({ batches: 2, events: 31 });
    const batch = JSON.parse(gunzipSync(gzipBatchNow(report).gzip!).toString()) as IngestBatch;
    expect(batch).toMatchObject({ seq: sent.at(-1)!.batch.seq + 1, pageId: 'page-2', final: true });
    expect(batch.events).toEqual([
      { type: EventType.Custom, data: { tag: CUSTOM_EVENT_TAGS.dropped, payload: { batches: 2, events: 31, parked: true } }, timestamp: T0 },
    ]);
  });

  it('flushes compressed with keepalive when the tab is hidden', () => {
    const { sent, engine, win } = setup();
    engine.click();
    win.document.visibilityState = 'hidden';
    win.document.dispatchEvent(new Event('visibilitychange'));
    expect(sent.slice(1).map((s) => [s.now, s.keepalive, s.batch.seq])).toEqual([[false, true, 1]]);
  });

  it('a checkout (a later snapshot of the same page) is sent at once in a batch that starts with its Meta, with no second page view', () => {
    const { sent, engine, recorder } = setup();
    engine.click();
    engine.mutation();
    engine.takeFullSnapshot(); // what rrweb's checkoutEveryNms does, from inside its emit
    const [first, before, checkout] = sent.map((s) => s.batch);
    expect(types(before!)).toEqual([EventType.IncrementalSnapshot, EventType.IncrementalSnapshot]);
    expect(types(checkout!)).toEqual([EventType.Meta, EventType.FullSnapshot]);
    expect([first!.pageId, before!.pageId, checkout!.pageId, checkout!.seq]).toEqual(['page-2', 'page-2', 'page-2', 2]);
    expect([before!.final, checkout!.final]).toEqual([undefined, undefined]);
    const pageViews = sent.flatMap((s) => s.batch.events).filter((e) => e.type === EventType.Custom && e.data.tag === CUSTOM_EVENT_TAGS.pageView);
    expect(pageViews).toHaveLength(1);
    engine.click();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(types(sent.at(-1)!.batch)).toEqual([EventType.IncrementalSnapshot]);
    expect(recorder.sessionId).toBe('session-1');
  });

  it('renews the session when the user comes back after 30 idle minutes', () => {
    const { sent, engine, recorder } = setup();
    vi.advanceTimersByTime(SESSION_IDLE_TIMEOUT_MS); // a background tab: the timer finds nothing to send
    engine.click(42);
    const [, old, renewed] = sent.map((s) => s.batch);
    // The old page's recording ends there: its last batch is final.
    expect(old).toMatchObject({ sessionId: 'session-1', seq: 1, pageId: 'page-2', final: true });
    expect(renewed!.final).toBeUndefined();
    expect(types(old!)).toEqual([EventType.IncrementalSnapshot]);
    expect(renewed).toMatchObject({ sessionId: 'session-3', seq: 0, pageId: 'page-4' });
    expect(types(renewed!)).toEqual([EventType.Meta, EventType.FullSnapshot, EventType.Custom]);
    expect(recorder.sessionId).toBe('session-3');
  });

  it('starts a new page recording when the page comes back from the back/forward cache', () => {
    const { sent, engine, win } = setup();
    win.dispatchEvent(new Event('pagehide'));
    win.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(engine.starts).toBe(2);
    expect(engine.stops).toBe(1);
    expect(sent.map((s) => [s.batch.seq, s.batch.pageId, s.batch.events.length])).toEqual([[0, 'page-2', 3], [1, 'page-3', 3]]);
  });

  it('stop() sends what is buffered, stops rrweb and the timer, and forgets the session id', () => {
    const { sent, engine, recorder } = setup();
    engine.click();
    recorder.stop();
    recorder.stop();
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS * 3);
    expect(sent.map((s) => [s.batch.seq, s.batch.final])).toEqual([[0, undefined], [1, true]]);
    expect(engine.stops).toBe(1);
    expect(recorder.sessionId).toBeNull();
  });

  it('a fault inside the recorder stops recording instead of throwing', () => {
    const { sent, engine, recorder, faults, win } = setup();
    const bad = { type: EventType.IncrementalSnapshot, data: {}, timestamp: 1 } as unknown as eventWithTime;
    Object.defineProperty(bad, 'data', { get: () => { throw new Error('corrupt'); }, enumerable: true });
    expect(() => engine.emit(bad)).not.toThrow();
    expect(faults.map(String)).toEqual(['Error: corrupt']);
    expect(engine.stops).toBe(1);
    expect(recorder.sessionId).toBeNull();
    engine.click();
    win.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    // One last batch reports the fault; nothing after it.
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.final).toBe(true);
    expect(sent[1]!.batch.events).toEqual([
      { type: EventType.Custom, data: { tag: CUSTOM_EVENT_TAGS.recorderFault, payload: { message: 'Error: corrupt', stack: expect.stringContaining('corrupt') } }, timestamp: T0 },
    ]);
  });

  it('stop(true) drops what is buffered instead of sending it', () => {
    const { sent, engine, recorder, dropped } = setup();
    engine.click();
    recorder.stop(true);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(sent).toHaveLength(1);
    // Batches already handed to the sender are dropped there too.
    expect(dropped.discards).toBe(1);
    expect(engine.stops).toBe(1);
    expect(recorder.sessionId).toBeNull();
  });

  it('an error rrweb reports through its errorHandler stops recording too', () => {
    const { engine, recorder, faults } = setup();
    engine.onError(new Error('observer broke'));
    expect(faults).toHaveLength(1);
    expect(engine.stops).toBe(1);
    expect(recorder.sessionId).toBeNull();
  });
});
