import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_MAX_BODY_BYTES, createBatchSender, type BatchSenderOptions, type OutgoingBatch } from './batch-sender';
import { FakeLocalStorage } from './delivery/fake-local-storage';
import { createGzip, type Gzip } from './gzip';
import { SESSION_IDLE_TIMEOUT_MS } from './wire/format';

const T0 = 1_700_000_000_000;

interface Request {
  url: string;
  init: RequestInit;
  /** The body as the server would read it: gunzipped when enc=gzip. */
  text: string;
  respond(status: number, headers?: Record<string, string>, body?: string): Promise<unknown>;
  fail(): Promise<unknown>;
}

/** A fetch whose requests wait until the test answers them. */
function fakeNetwork() {
  const requests: Request[] = [];
  const fetch = ((url: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const body = init.body as string | Uint8Array;
      const text = url.endsWith('enc=gzip') ? gunzipSync(body as Uint8Array).toString() : (body as string);
      const settled = () => vi.advanceTimersByTimeAsync(0);
      requests.push({
        url,
        init,
        text,
        respond: (status, headers, body) => (resolve(new Response(body ?? null, { status, headers })), settled()),
        fail: () => (reject(new TypeError('Failed to fetch')), settled()),
      });
    })) as typeof globalThis.fetch;
  const seqs = () => requests.map((r) => (JSON.parse(r.text) as { seq: number }).seq);
  return { fetch, requests, seqs, last: () => requests[requests.length - 1]! };
}

/** gzip through node:zlib: settles in microtasks, which fake timers leave alone. */
const zlibGzip: Gzip = async (parts) => new Uint8Array(gzipSync(parts.join('')));

function outgoing(seq: number, sessionId = 'sess-aaaa', pad = ''): OutgoingBatch {
  const events = [{ type: 3, data: { pad }, timestamp: T0 + seq }];
  return { sessionId, seq, events: 1, body: JSON.stringify({ v: 1, sessionId, seq, pageId: 'page-0001', url: 'https://shop.test/', sentAt: T0, events }) };
}

function setup(overrides: Partial<BatchSenderOptions> = {}, storage = new FakeLocalStorage()) {
  const net = fakeNetwork();
  const win = Object.assign(new EventTarget(), { navigator: { onLine: true }, localStorage: storage });
  const session = { sessionId: 'sess-aaaa', startedAt: T0 };
  const sender = createBatchSender({
    endpoint: 'https://fl.example.net',
    siteKey: 'site key/1',
    fetch: net.fetch,
    gzip: zlibGzip,
    win,
    session: () => session,
    random: () => 0,
    ...overrides,
  });
  const stored = () => Object.keys(storage).filter((k) => k.startsWith('frictionlens.q.')).sort();
  return { sender, net, win, storage, stored, session };
}

const tick = () => vi.advanceTimersByTimeAsync(0);

/** A page that went away runs no more timers: a fresh fake clock drops the old one's. */
function pageGone(): void {
  const now = Date.now();
  vi.useRealTimers();
  vi.useFakeTimers();
  vi.setSystemTime(now);
}

describe('createBatchSender', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('posts a batch gzipped as text/plain without credentials, straight from memory, storing nothing while all goes well', async () => {
    const compressed: Uint8Array<ArrayBuffer>[] = [];
    const { sender, net, stored, storage } = setup({ gzip: async (parts) => (compressed.push(await zlibGzip(parts)), compressed[0]!) });
    sender.send(outgoing(0));
    await tick();
    expect(stored()).toEqual([]);
    const [request] = net.requests;
    expect(request!.url).toBe('https://fl.example.net/api/ingest?key=site%20key%2F1&enc=gzip');
    expect(request!.init).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'text/plain' }, credentials: 'omit', keepalive: false });
    expect(request!.init.body).toBe(compressed[0]); // the very bytes CompressionStream gave: no base64 round trip
    expect(request!.init.signal).toBeInstanceOf(AbortSignal); // a hung request cannot stall the queue
    expect(request!.text).toBe(outgoing(0).body);
    await request!.respond(200);
    expect(stored()).toEqual([]);
    expect(Object.keys(storage)).toEqual([]);
  });

  it('compresses a batch from its pieces when it has them, else from its body', async () => {
    const given: (readonly string[])[] = [];
    const { sender, net } = setup({ gzip: async (parts) => (given.push(parts), zlibGzip(parts)) });
    const body = outgoing(0).body;
    const parts = [body.slice(0, 10), body.slice(10)];
    sender.send({ ...outgoing(0), parts });
    sender.send(outgoing(1)); // no pieces: the body is one
    await tick();
    expect(given).toEqual([parts, [outgoing(1).body]]);
    expect(net.requests[0]!.text).toBe(body);
  });

  it('stores what is unsent, as base64 gzip, once a post fails; later batches are stored as they come', async () => {
    const { sender, net, stored, storage } = setup();
    sender.send(outgoing(0));
    sender.send(outgoing(1));
    await tick();
    expect(stored()).toEqual([]);
    await net.last().respond(503);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']);
    const value = storage.getItem('frictionlens.q.sess-aaaa.0')!;
    expect(value).toMatch(new RegExp(`^${T0} 1 H4sI`)); // base64 of gzip
    expect(gunzipSync(Buffer.from(value.split(' ')[2]!, 'base64')).toString()).toBe(outgoing(0).body);
    sender.send(outgoing(2));
    await tick();
    expect(stored()).toHaveLength(3); // failing: kept safe at once
    await vi.advanceTimersByTimeAsync(500);
    expect(net.last().text).toBe(outgoing(0).body); // the retry posts the stored gzip, decoded
    await net.last().respond(200);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.1', 'frictionlens.q.sess-aaaa.2']);
    await net.last().respond(200);
    await net.last().respond(200);
    expect(stored()).toEqual([]);
    sender.send(outgoing(3)); // delivering again: back to memory only
    await tick();
    expect(stored()).toEqual([]);
  });

  it('discard() forgets queued, stored and still-compressing batches; the one in flight is already gone', async () => {
    const { sender, net, stored } = setup();
    sender.send(outgoing(0));
    sender.send(outgoing(1));
    await tick();
    await net.last().respond(503); // 0 and 1 now wait, stored, for a retry
    sender.send(outgoing(2)); // still compressing when consent is withdrawn
    sender.discard();
    await tick();
    expect(stored()).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.seqs()).toEqual([0]);
    sender.send(outgoing(3)); // a later grant records anew
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.seqs()).toEqual([0, 3]);
  });

  it('stores everything unsent when the tab is hidden, and what is queued while offline', async () => {
    const hidden = setup();
    hidden.sender.send(outgoing(0));
    hidden.sender.send(outgoing(1));
    await tick();
    hidden.sender.send(outgoing(2), { keepalive: true });
    expect(hidden.stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']); // 2 is compressing
    await tick();
    expect(hidden.stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1', 'frictionlens.q.sess-aaaa.2']);

    const offline = setup();
    offline.win.navigator.onLine = false;
    offline.sender.send(outgoing(5));
    await tick();
    expect(offline.stored()).toEqual(['frictionlens.q.sess-aaaa.5']);
  });

  it('when hidden, trusts a batch posted with keepalive instead of storing it, and stores it if that post fails', async () => {
    const { sender, net, stored } = setup();
    sender.send(outgoing(0), { keepalive: true });
    await tick();
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive])).toEqual([[0, true]]);
    expect(stored()).toEqual([]);
    sender.sendNow(() => []); // leaving now: still trusted
    expect(stored()).toEqual([]);
    await net.last().fail();
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.0']);

    // Over the keepalive size, the post is an ordinary one, which dies with the page: stored at once.
    const big = setup({ gzip: null });
    big.sender.send(outgoing(1, 'sess-aaaa', 'x'.repeat(KEEPALIVE_MAX_BODY_BYTES)), { keepalive: true });
    await tick();
    expect(big.net.requests.map((r) => r.init.keepalive)).toEqual([false]);
    expect(big.stored()).toEqual(['frictionlens.q.sess-aaaa.1']);
  });

  it('posts with keepalive, unstored, a batch made before the tab was hidden and compressed after; plain again once visible', async () => {
    const { sender, net, stored } = setup();
    sender.send(outgoing(0)); // a large render, still compressing when the tab is hidden
    sender.send(outgoing(1), { keepalive: true });
    await tick();
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive])).toEqual([[0, true]]);
    // Only the batch queued behind it waits in storage.
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.1']);
    await net.last().respond(200);
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive])).toEqual([[0, true], [1, true]]);
    await net.last().respond(200);
    expect(stored()).toEqual([]);
    sender.send(outgoing(2));
    await tick();
    expect(net.last().init.keepalive).toBe(false);
  });

  it('posts plain JSON with enc=identity where CompressionStream is missing', async () => {
    const { sender, net } = setup({ gzip: null });
    sender.send(outgoing(1));
    expect(net.requests.map((r) => [r.url.split('&')[1], r.init.body])).toEqual([['enc=identity', outgoing(1).body]]);
  });

  it('compresses with the native CompressionStream', async () => {
    vi.useRealTimers();
    const { sender, net } = setup({ gzip: createGzip(globalThis) });
    sender.send(outgoing(2));
    await vi.waitFor(() => expect(net.requests).toHaveLength(1));
    expect(net.requests[0]!.text).toBe(outgoing(2).body);
  });

  it('has one request in flight at a time and sends oldest first', async () => {
    const { sender, net } = setup();
    for (const seq of [0, 1, 2]) sender.send(outgoing(seq));
    await tick();
    expect(net.seqs()).toEqual([0]);
    await net.last().respond(200);
    expect(net.seqs()).toEqual([0, 1]);
    await net.last().respond(200);
    await net.last().respond(200);
    expect(net.seqs()).toEqual([0, 1, 2]);
  });

  it('retries network errors, 503, 408 and 429 after 0.5, 1, 2, 4 s (random 0), keeping the batch stored and the next one waiting', async () => {
    const { sender, net, stored } = setup();
    sender.send(outgoing(0));
    sender.send(outgoing(1));
    await tick();
    await net.last().fail();
    for (const [status, delay] of [[503, 500], [408, 1000], [429, 2000], [202, 4000]] as const) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(net.requests.length).toBeLessThan(5);
      const before = net.requests.length;
      await vi.advanceTimersByTimeAsync(1);
      expect(net.requests).toHaveLength(before + 1);
      await net.last().respond(status);
    }
    expect(net.seqs()).toEqual([0, 0, 0, 0, 0, 1]);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.1']);
  });

  it('spreads the jitter up to the full step (random 1)', async () => {
    const { sender, net } = setup({ random: () => 0.999 });
    sender.send(outgoing(0));
    await tick();
    await net.last().respond(500);
    await vi.advanceTimersByTimeAsync(998);
    expect(net.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.requests).toHaveLength(2);
  });

  it('honours Retry-After in seconds or as an HTTP date, but never retries sooner than its own backoff', async () => {
    const { sender, net } = setup();
    sender.send(outgoing(0));
    await tick();
    await net.last().respond(503, { 'Retry-After': '7' });
    await vi.advanceTimersByTimeAsync(6999);
    expect(net.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.requests).toHaveLength(2);
    await net.last().respond(429, { 'Retry-After': new Date(Date.now() + 3000).toUTCString() });
    await vi.advanceTimersByTimeAsync(2999);
    expect(net.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.requests).toHaveLength(3);
    await net.last().respond(503, { 'Retry-After': '0' }); // third failure: backoff 2 s wins
    await vi.advanceTimersByTimeAsync(1999);
    expect(net.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.requests).toHaveLength(4);
  });

  it('does not retry other 4xx: the batch is dropped and the next one goes', async () => {
    const { sender, net, stored } = setup();
    for (const seq of [0, 1, 2]) sender.send(outgoing(seq));
    await tick();
    await net.last().respond(400);
    await net.last().respond(413);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.seqs()).toEqual([0, 1, 2]);
    await net.last().respond(200);
    expect(stored()).toEqual([]);
  });

  it.each([401, 403])('stops sending for the page after %i; stored batches wait for a later page load', async (status) => {
    const { sender, net, stored } = setup();
    sender.send(outgoing(0));
    sender.send(outgoing(1));
    await tick();
    await net.last().respond(status);
    sender.send(outgoing(2));
    sender.sendNow(() => [outgoing(3)]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(net.seqs()).toEqual([0]);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']);
  });

  /** The server's error body, as server/src/errors answers it. */
  const refusal = (code: string) => JSON.stringify({ error: { code, message: 'refused' } });

  it.each([
    [413, 'session_limit'],
    [429, 'site_session_limit'],
  ])('a %i %s refuses the session for good: its batches are forgotten, stored ones too, nothing more of it is posted; other sessions go on', async (status, code) => {
    let refusals = 0;
    const storage = new FakeLocalStorage();
    const { sender, net, stored, session } = setup({ onRefused: () => refusals++ }, storage);
    sender.send(outgoing(0));
    await tick();
    await net.last().fail(); // stored from here on
    sender.send(outgoing(1));
    await tick();
    await vi.advanceTimersByTimeAsync(1000);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']);
    await net.last().respond(status, { 'Retry-After': '1' }, refusal(code));
    expect(refusals).toBe(1);
    expect(stored()).toEqual([]);
    sender.send(outgoing(2));
    sender.sendNow(() => [outgoing(3)]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(net.seqs()).toEqual([0, 0]);
    expect(stored()).toEqual([]);
    // Another session of the tab (renewed after idling out) is sent as usual.
    session.sessionId = 'sess-bbbb';
    sender.send(outgoing(0, 'sess-bbbb'));
    await vi.advanceTimersByTimeAsync(0);
    expect(net.requests.map((r) => JSON.parse(r.text).sessionId)).toEqual(['sess-aaaa', 'sess-aaaa', 'sess-bbbb']);
  });

  it("a refused session that is not the page's own (left over by another page load) is dropped without stopping this page", async () => {
    let refusals = 0;
    const storage = new FakeLocalStorage();
    const first = setup({}, storage);
    first.sender.send(outgoing(0, 'sess-old'));
    await tick();
    await first.net.last().fail();
    pageGone();
    const { sender, net } = setup({ onRefused: () => refusals++ }, storage);
    sender.send(outgoing(0));
    await tick();
    expect(net.seqs()).toEqual([0]);
    await net.last().respond(413, {}, refusal('session_limit'));
    expect(net.requests.map((r) => JSON.parse(r.text).sessionId)).toEqual(['sess-old', 'sess-aaaa']);
    expect(refusals).toBe(0);
    await net.last().respond(200);
  });

  it('429 rate_limited is retried after Retry-After, keeping the session', async () => {
    let refusals = 0;
    const { sender, net } = setup({ onRefused: () => refusals++ });
    sender.send(outgoing(0));
    await tick();
    await net.last().respond(429, { 'Retry-After': '5' }, refusal('rate_limited'));
    await vi.advanceTimersByTimeAsync(4999);
    expect(net.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(net.seqs()).toEqual([0, 0]);
    await net.last().respond(200);
    sender.send(outgoing(1));
    await tick();
    expect(net.seqs()).toEqual([0, 0, 1]);
    expect(refusals).toBe(0);
  });

  it('retries at once when the browser comes back online', async () => {
    const { sender, net, win } = setup();
    sender.send(outgoing(0));
    await tick();
    for (let i = 0; i < 6; i++) {
      await net.last().fail();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    await net.last().fail();
    expect(net.requests).toHaveLength(7);
    win.dispatchEvent(new Event('online'));
    await tick();
    expect(net.requests).toHaveLength(8);
  });

  it('a later page load, in any tab, resends what an earlier one left stored, first and byte for byte', async () => {
    const first = setup();
    first.sender.send(outgoing(0));
    first.sender.send(outgoing(1));
    await tick();
    await first.net.last().fail(); // server down; then the tab is closed
    const second = setup({}, first.storage);
    second.sender.send(outgoing(0, 'sess-bbbb'));
    await tick();
    await second.net.last().respond(200);
    await second.net.last().respond(200);
    await second.net.last().respond(200);
    expect(second.net.requests.map((r) => r.text)).toEqual([outgoing(0).body, outgoing(1).body, outgoing(0, 'sess-bbbb').body]);
    expect(second.stored()).toEqual([]);
  });

  it('on pagehide stores everything at once and posts with keepalive what fits the 64 KiB quota; the rest waits', async () => {
    const { sender, net, stored } = setup({ gzip: null });
    sender.send(outgoing(0)); // in flight with a plain request, which leaving the page cancels: posted again
    const pieces = [1, 2, 3].map((seq) => outgoing(seq, 'sess-aaaa', 'x'.repeat(seq === 3 ? KEEPALIVE_MAX_BODY_BYTES - 300 : 20_000)));
    sender.sendNow(() => pieces);
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive, r.init.signal])).toEqual([
      [0, false, expect.any(AbortSignal)],
      [0, true, undefined],
      [1, true, undefined],
      [2, true, undefined],
    ]);
    // Posted with keepalive means trusted; the one over the quota stays for the next page load.
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.3']);
    await net.requests[0]!.fail(); // the plain request, cancelled: nothing changes
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.3']);
  });

  it('on pagehide posts in order: after a batch that does not fit, later ones wait too; a report of them goes in the room left', async () => {
    const { sender, net, stored } = setup({ gzip: null });
    const reports: unknown[] = [];
    const pieces = [[1, 30_000], [2, 40_000], [3, 100]].map(([seq, pad]) => outgoing(seq!, 'sess-aaaa', 'x'.repeat(pad!)));
    sender.sendNow(() => pieces, (parked) => (reports.push(parked), outgoing(4, 'sess-aaaa', 'report')));
    // 3 would fit beside 1, but posted without 2 it would leave a gap in the recording.
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive, r.url.split('&')[1]])).toEqual([
      [1, true, 'enc=identity'],
      [4, true, 'enc=gzip'],
    ]);
    expect(reports).toEqual([{ batches: 2, events: 2 }]);
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.2', 'frictionlens.q.sess-aaaa.3']);
  });

  it('on pagehide posts what waits before the page\'s last batches are made: a page whose pagehide runs long may be ended', async () => {
    const { sender, net } = setup();
    sender.send(outgoing(0));
    await tick();
    let postedBeforePacking = -1;
    sender.sendNow(() => ((postedBeforePacking = net.requests.length), [outgoing(1)]));
    expect(postedBeforePacking).toBe(2); // the plain post in flight, and its keepalive repost
    expect(net.seqs()).toEqual([0, 0, 1]);
  });

  it('on pagehide asks for no report when everything fits', async () => {
    const { sender, net, stored } = setup();
    const reports: unknown[] = [];
    sender.sendNow(() => [outgoing(1), outgoing(2)], (parked) => (reports.push(parked), outgoing(3)));
    expect(net.seqs()).toEqual([1, 2]);
    expect([reports, stored()]).toEqual([[], []]);
  });

  it('on pagehide does not post again a batch already on its way with keepalive', async () => {
    const { sender, net, stored } = setup({ gzip: null });
    sender.send(outgoing(0), { keepalive: true });
    sender.sendNow(() => [outgoing(1)]);
    expect(net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive])).toEqual([
      [0, true],
      [1, true],
    ]);
    expect(stored()).toEqual([]);
  });

  it('on pagehide takes over batches still compressing: gzipped on the spot and posted, never twice', async () => {
    let release = () => {};
    const slow: Gzip = (parts) => new Promise((resolve) => (release = () => resolve(new Uint8Array(gzipSync(parts.join(''))))));
    const { sender, net, stored } = setup({ gzip: slow });
    sender.send(outgoing(0));
    await tick();
    sender.sendNow(() => [outgoing(1)]);
    expect(net.requests.map((r) => [r.url.split('&')[1], JSON.parse(r.text).seq, r.init.keepalive])).toEqual([
      ['enc=gzip', 0, true],
      ['enc=identity', 1, true], // handed over as it was
    ]);
    expect(net.requests[0]!.text).toBe(outgoing(0).body);
    release();
    await tick();
    expect(net.requests).toHaveLength(2);
    expect(stored()).toEqual([]);
  });

  it('on pagehide gzips on the spot a batch of a full event buffer still compressing, not only small ones', async () => {
    const slow: Gzip = () => new Promise(() => {});
    const { sender, net } = setup({ gzip: slow });
    // BUFFER_MAX_CHARS (1 MB) of JSON and the event that filled it: stored as JSON, it would pass the queue's cap.
    sender.send(outgoing(0, 'sess-aaaa', 'row '.repeat(300_000)));
    await tick();
    sender.sendNow(() => []);
    expect(net.requests.map((r) => [r.url.split('&')[1], JSON.parse(r.text).seq, r.init.keepalive])).toEqual([['enc=gzip', 0, true]]);
  });

  it('on pagehide after a failure posts with keepalive and keeps everything too; offline it only keeps', async () => {
    // The failure may be the navigation itself cancelling a post in flight, or a real outage.
    const failed = setup({ gzip: null });
    failed.sender.send(outgoing(0));
    await failed.net.last().fail();
    failed.sender.sendNow(() => [outgoing(1)]);
    expect(failed.net.requests.map((r) => [JSON.parse(r.text).seq, r.init.keepalive])).toEqual([
      [0, false],
      [0, true],
      [1, true],
    ]);
    expect(failed.stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']);

    const offline = setup({ gzip: null });
    offline.win.navigator.onLine = false;
    const reports: unknown[] = [];
    offline.sender.sendNow(() => [outgoing(5)], (parked) => (reports.push(parked), outgoing(6)));
    expect(offline.net.requests).toEqual([]);
    expect(reports).toEqual([]); // it could not go either
    expect(offline.stored()).toEqual(['frictionlens.q.sess-aaaa.5']);
  });

  it('holds batches until the session has lasted minDurationMs, across page loads', async () => {
    const first = setup({ minDurationMs: 5000 });
    first.sender.send(outgoing(0));
    await vi.advanceTimersByTimeAsync(1000);
    first.sender.sendNow(() => [outgoing(1)]); // the visitor moves on after 1 s
    pageGone();
    expect(first.net.requests).toEqual([]);

    const second = setup({ minDurationMs: 5000 }, first.storage); // next page, same session
    await vi.advanceTimersByTimeAsync(3999);
    expect(second.net.requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.net.seqs()).toEqual([0]);
    await second.net.last().respond(200);
    expect(second.net.seqs()).toEqual([0, 1]);
  });

  it('a session that ends before minDurationMs sends nothing, then or later', async () => {
    const first = setup({ minDurationMs: 5000 });
    first.sender.send(outgoing(0));
    await vi.advanceTimersByTimeAsync(2000);
    first.sender.sendNow(() => [outgoing(1)]); // the visitor leaves after 2 s
    pageGone();
    vi.setSystemTime(T0 + 10 * 60_000);
    const otherSession = setup({ minDurationMs: 5000, session: () => ({ sessionId: 'sess-bbbb', startedAt: T0 }) }, first.storage);
    await vi.advanceTimersByTimeAsync(SESSION_IDLE_TIMEOUT_MS);
    otherSession.sender.send(outgoing(0, 'sess-bbbb'));
    await vi.advanceTimersByTimeAsync(1000);
    expect([first.net.requests.length, otherSession.net.seqs()]).toEqual([0, [0]]);
    expect(JSON.parse(otherSession.net.last().text).sessionId).toBe('sess-bbbb');
    await otherSession.net.last().respond(200);
    expect(otherSession.stored()).toEqual([]);
  });

  it('does not send a batch another tab delivered meanwhile', async () => {
    const first = setup();
    first.sender.send(outgoing(0));
    first.sender.send(outgoing(1));
    await tick();
    await first.net.last().fail();
    const other = setup({}, first.storage);
    await tick();
    await other.net.last().respond(200);
    await other.net.last().respond(200);
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.net.seqs()).toEqual([0]);
  });

  it('never throws into the page: a throwing fetch counts as a network error', async () => {
    let calls = 0;
    const throwing = (() => {
      calls++;
      throw new TypeError('bad');
    }) as typeof fetch;
    const { sender, stored } = setup({ fetch: throwing, gzip: null });
    expect(() => sender.send(outgoing(0))).not.toThrow();
    expect(() => sender.sendNow(() => [outgoing(1)])).not.toThrow();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(4); // 0; 0 and 1 with keepalive on leaving; 0 retried
    expect(stored()).toEqual(['frictionlens.q.sess-aaaa.0', 'frictionlens.q.sess-aaaa.1']);
  });
});
