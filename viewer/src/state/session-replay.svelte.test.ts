import { gzipSync } from 'node:zlib';
import { EventType, type eventWithTime } from '@rrweb/types';
import { describe, expect, it, vi } from 'vitest';
import { encodeBatchFrames } from '../../../server/src/api/session-batches-route';
import { ApiClient } from '../lib/api-client';
import type { BatchSummary, SessionDetail } from '../lib/contract';
import { deferred, errorReply, fakeFetch, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { REPLAY_START_TAG, SessionReplay } from './session-replay.svelte';

const T0 = 5_000;
const DETAIL = {
  id: 'sess0001',
  startedAt: T0,
  pages: [
    { id: 'p1', url: 'https://shop.example/', startedAt: T0 },
    { id: 'p2', url: 'https://shop.example/cart', startedAt: T0 + 30_250 },
  ],
} as SessionDetail;

const meta = (timestamp: number, href: string) => ({ type: EventType.Meta, data: { href, width: 1440, height: 900 }, timestamp }) as eventWithTime;
const load = (timestamp: number) => ({ type: EventType.Load, data: {}, timestamp }) as eventWithTime;

/** Four batches over two pages, 10 s apart; the moment 25 s in needs the first three. */
const BATCHES: eventWithTime[][] = [
  [meta(T0, 'https://shop.example/'), load(T0 + 100)],
  [load(T0 + 10_000)],
  [load(T0 + 20_000)],
  [meta(T0 + 30_250, 'https://shop.example/cart'), load(T0 + 30_300)],
];

interface Stored {
  seq: number;
  body: Buffer;
  events: eventWithTime[];
}

const stored = (batches: eventWithTime[][]): Stored[] =>
  batches.map((events, seq) => ({ seq, events, body: gzipSync(JSON.stringify({ v: 1, sessionId: 'sess0001', seq, events })) }));

function summaries(list: Stored[]): BatchSummary[] {
  return list.map(({ seq, body, events }) => ({
    seq,
    pageId: events[0]!.timestamp < T0 + 30_000 ? 'p1' : 'p2',
    firstTs: events[0]!.timestamp,
    lastTs: events[events.length - 1]!.timestamp,
    eventCount: events.length,
    bytes: body.length,
    // As ingest marks them: a Meta event (these test pages' snapshots are left out) starts a replay.
    snapshotTs: events.find((event) => event.type === EventType.Meta)?.timestamp ?? null,
  }));
}

/** A server of `list`; `hold` delays the data replies it is given a promise for, by the request's from. */
function serve(list: Stored[], hold: Map<number, Promise<void>> = new Map(), override?: (req: RecordedRequest) => FakeReply | undefined) {
  const fake = fakeFetch(async (req) => {
    const url = new URL(req.url, 'http://viewer.test');
    const replaced = override?.(req);
    if (replaced) return replaced;
    if (url.pathname.endsWith('/batches')) return { json: { batches: summaries(list), nextFrom: null } };
    if (url.pathname.endsWith('/batches/data')) {
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      await hold.get(from);
      return { bytes: encodeBatchFrames(list.filter((b) => b.seq >= from && b.seq <= to)) };
    }
    return { json: DETAIL };
  });
  // No player here to report a first frame: the rest loads straight away unless a test waits for shown().
  return { fake, replay: new SessionReplay(new ApiClient({ fetch: fake.fetch }), { firstFrameWaitMs: 0 }) };
}

const dataRequests = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.url.includes('/batches/data')).map((r) => new URL(r.url, 'http://viewer.test').search);

describe('SessionReplay', () => {
  it('streams every batch in seq order and places pages on the timeline', async () => {
    const { fake, replay } = serve(stored(BATCHES));
    await replay.load('sess0001');

    expect(replay.status).toBe('ready');
    expect(replay.complete).toBe(true);
    expect(replay.events).toEqual(BATCHES.flat());
    expect([replay.loadedBatches, replay.batchCount]).toEqual([4, 4]);
    expect(replay.pages.map((p) => [p.id, p.offsetMs])).toEqual([
      ['p1', 0],
      ['p2', 30_250],
    ]);
    expect(replay.viewport).toEqual({ width: 1440, height: 900 });
    // At the start only the first batch is needed: it comes alone, the rest behind it.
    expect(dataRequests(fake.requests)).toEqual(['?from=0&to=0', '?from=1&to=3']);
  });

  it('is ready to play once the batches up to the requested moment are in, while the rest still loads', async () => {
    const rest = deferred<void>();
    const { fake, replay } = serve(stored(BATCHES), new Map([[3, rest.promise]]));
    const loading = replay.load('sess0001', 25_000);

    await expect.poll(() => replay.status).toBe('ready');
    expect(replay.events).toEqual(BATCHES.slice(0, 3).flat());
    expect(replay.complete).toBe(false);
    expect(replay.loadedBatches).toBe(3);
    expect(dataRequests(fake.requests)).toEqual(['?from=0&to=2', '?from=3&to=3']);

    rest.resolve();
    await loading;
    expect(replay.complete).toBe(true);
    expect(replay.events).toEqual(BATCHES.flat());
  });

  it("starts from the batch of the moment's snapshot, keeps the clock at the session's start, and fills in the earlier batches behind", async () => {
    const earlier = deferred<void>();
    const { fake, replay } = serve(stored(BATCHES), new Map([[0, earlier.promise]]));
    const loading = replay.load('sess0001', 35_000);

    await expect.poll(() => replay.status).toBe('ready');
    const key = replay.playerKey;
    // Only the second page's batch is needed; a placeholder at the session's start keeps offsets from there.
    expect(replay.events).toEqual([{ type: EventType.Custom, timestamp: T0, data: { tag: REPLAY_START_TAG, payload: {} } }, ...BATCHES[3]!]);
    expect(replay.missingBeforeMs).toBe(30_250);
    expect([replay.startTs, replay.durationMs]).toEqual([T0, 30_300]);
    expect(replay.pages.map((p) => [p.id, p.offsetMs])).toEqual([
      ['p1', 0],
      ['p2', 30_250],
    ]);
    expect(replay.complete).toBe(false);

    earlier.resolve();
    await loading;
    expect(dataRequests(fake.requests)).toEqual(['?from=3&to=3', '?from=0&to=2']);
    // The whole recording, in order and without the placeholder, for a player built again.
    expect(replay.events).toEqual(BATCHES.flat());
    expect(replay.missingBeforeMs).toBeNull();
    expect(replay.playerKey).not.toBe(key);
    expect(replay.complete).toBe(true);
  });

  it('says which part it covers when the earlier batches are past the size limit', async () => {
    const list = stored(BATCHES);
    const json = (b: Stored) => JSON.stringify({ v: 1, sessionId: 'sess0001', seq: b.seq, events: b.events }).length;
    const fake = serve(list).fake;
    const replay = new SessionReplay(new ApiClient({ fetch: fake.fetch }), { maxJsonBytes: json(list[3]!) + json(list[0]!), firstFrameWaitMs: 0 });
    await replay.load('sess0001', 35_000);
    expect(replay.events.slice(1)).toEqual(BATCHES[3]);
    expect(replay.stopped).toMatch(/the viewer loads at most \d+ MB of it\. The replay covers 0:30 to 0:30\.$/);
  });

  it('holds the rest until the player shows its first frame, so that work does not delay it', async () => {
    const fake = serve(stored(BATCHES)).fake;
    const replay = new SessionReplay(new ApiClient({ fetch: fake.fetch }), { firstFrameWaitMs: 60_000 });
    const loading = replay.load('sess0001', 25_000);
    await expect.poll(() => replay.status).toBe('ready');
    // The rest is already asked for; it is not inflated and added until the player says it is showing.
    await expect.poll(() => dataRequests(fake.requests)).toEqual(['?from=0&to=2', '?from=3&to=3']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replay.events).toEqual(BATCHES.slice(0, 3).flat());
    // The rest of the page (the timeline, the start time) waits for that frame too.
    expect(replay.firstFrameSettled).toBe(false);
    replay.shown();
    expect(replay.firstFrameSettled).toBe(true);
    await loading;
    expect(replay.events).toEqual(BATCHES.flat());
  });

  it('settles the first frame when the player does not report one in time, and forgets it for the next session', async () => {
    const fake = serve(stored(BATCHES)).fake;
    const replay = new SessionReplay(new ApiClient({ fetch: fake.fetch }), { firstFrameWaitMs: 30 });
    expect(replay.firstFrameSettled).toBe(false);
    // Nothing calls shown(): the load goes on once the wait has run out.
    await replay.load('sess0001');
    expect(replay.firstFrameSettled).toBe(true);
    const next = replay.load('sess0001', 25_000);
    expect(replay.firstFrameSettled).toBe(false);
    await next;
    expect(replay.firstFrameSettled).toBe(true);
  });

  it('asks again for the rest of a piece the server answered short', async () => {
    const list = stored(BATCHES);
    let first = true;
    const { fake, replay } = serve(list, new Map(), (req) => {
      if (!req.url.includes('from=1&to=3') || !first) return undefined;
      first = false;
      return { bytes: encodeBatchFrames(list.slice(1, 2)) };
    });
    await replay.load('sess0001');
    expect(replay.events).toEqual(BATCHES.flat());
    expect(dataRequests(fake.requests)).toEqual(['?from=0&to=0', '?from=1&to=3', '?from=2&to=3']);
  });

  it('leaves out a damaged batch and says how many were left out', async () => {
    const list = stored(BATCHES);
    list[1]!.body = Buffer.from([0x1f, 0x8b, 0, 0]);
    const { replay } = serve(list);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await replay.load('sess0001');
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(replay.events).toEqual([...BATCHES[0]!, ...BATCHES[2]!, ...BATCHES[3]!]);
    expect(replay.skippedBatches).toBe(1);
    expect(replay.stopped).toBeNull();
  });

  it('stops loading at its size limit with a clear message, and keeps what it has playable', async () => {
    const list = stored(BATCHES);
    const limit = list.slice(0, 2).reduce((sum, b) => sum + JSON.stringify({ v: 1, sessionId: 'sess0001', seq: b.seq, events: b.events }).length, 0);
    const fake = serve(list).fake;
    const replay = new SessionReplay(new ApiClient({ fetch: fake.fetch }), { maxJsonBytes: limit, firstFrameWaitMs: 0 });
    await replay.load('sess0001');
    expect(replay.status).toBe('ready');
    expect(replay.complete).toBe(true);
    expect(replay.events).toEqual(BATCHES.slice(0, 2).flat());
    expect(replay.stopped).toMatch(/^This recording is too large to replay in full: the viewer loads at most \d+ MB of it\. The replay ends at 0:10\.$/);
  });

  it('reports a failure before anything can play as an error', async () => {
    const { replay } = serve(stored(BATCHES), new Map(), (req) => (req.url.includes('/batches/data') ? errorReply(500, 'internal', 'boom') : undefined));
    await replay.load('sess0001');
    expect(replay.status).toBe('error');
    expect(replay.error).toBe('The server ran into a problem: boom');
    expect(replay.firstFrameSettled).toBe(true);
  });

  it('keeps playing what arrived when a later piece fails, and says the rest is missing', async () => {
    const { replay } = serve(stored(BATCHES), new Map(), (req) => (req.url.includes('from=1') ? new TypeError('Failed to fetch') : undefined));
    await replay.load('sess0001');
    expect(replay.status).toBe('ready');
    expect(replay.events).toEqual(BATCHES[0]);
    expect(replay.stopped).toMatch(/^The rest of the recording could not be loaded\. Could not reach the frictionlens server/);
  });

  it('has nothing to replay for a session without batches', async () => {
    const { replay } = serve([]);
    await replay.load('sess0001');
    expect(replay.status).toBe('ready');
    expect(replay.canReplay).toBe(false);
    expect(replay.firstFrameSettled).toBe(true);
  });

  it('reports a missing session', async () => {
    const { replay } = serve(stored(BATCHES), new Map(), () => errorReply(404, 'not_found', 'Session not found'));
    await replay.load('gone0000');
    expect(replay.status).toBe('error');
    expect(replay.error).toBe('We could not find that. It may have been deleted.');
    expect(replay.detail).toBeNull();
    expect(replay.pages).toEqual([]);
  });

  it('drops the answers of a session no longer open', async () => {
    const hold = deferred<void>();
    const { replay } = serve(stored(BATCHES), new Map([[0, hold.promise]]));
    const first = replay.load('sess0001');
    const second = replay.load('sess0001', 25_000);
    hold.resolve();
    await Promise.all([first, second]);
    expect(replay.events).toEqual(BATCHES.flat());
  });
});
