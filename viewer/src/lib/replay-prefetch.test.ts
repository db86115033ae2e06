import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { encodeBatchFrames, momentRange } from '../../../server/src/api/session-batches-route';
import { deferred, fakeFetch, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { ApiClient } from './api-client';
import { readBatchFrames } from './batch-frames';
import type { BatchSummary, SessionBatchList } from './contract';
import { InflatedAhead } from './inflated-ahead';
import { PREFETCH_FRESH_MS, Prefetched, prefetchReplay } from './replay-prefetch';

const T0 = 1_700_000_000_000;

/** Ten batches 10 s apart, a full snapshot in batches 0 and 6. */
const batches: BatchSummary[] = Array.from({ length: 10 }, (_, seq) => ({
  seq,
  pageId: 'page-one',
  firstTs: T0 + seq * 10_000,
  lastTs: T0 + seq * 10_000 + 9_000,
  eventCount: 40,
  bytes: 300_000,
  snapshotTs: seq === 0 || seq === 6 ? T0 + seq * 10_000 + 5 : null,
}));

const storedBody = (seq: number) => gzipSync(JSON.stringify({ v: 1, events: [{ type: 3, timestamp: T0 + seq, data: {} }] }));
/** The frames of the stored batches with from <= seq <= to. */
const framed = (range: { from: number; to: number } | null) =>
  encodeBatchFrames(range ? batches.filter((b) => b.seq >= range.from && b.seq <= range.to).map((b) => ({ seq: b.seq, body: storedBody(b.seq) })) : []);

/** Answers as the server does: a data request by range, or by moment with the server's own plan (momentRange). */
function server(list: SessionBatchList = { batches, nextFrom: null }, moment = (atMs: number) => momentRange(list.batches, atMs)) {
  return (request: RecordedRequest): FakeReply => {
    const url = new URL(request.url, 'http://viewer.test');
    if (url.pathname.endsWith('/batches')) return { json: list };
    if (url.pathname.endsWith('/batches/data')) {
      const at = url.searchParams.get('at');
      return { bytes: framed(at === null ? { from: Number(url.searchParams.get('from')), to: Number(url.searchParams.get('to')) } : moment(Number(at))) };
    }
    if (request.url === '/api/sessions/s1') return { json: { id: 's1' } };
    return { status: 404, json: { error: { code: 'not_found', message: 'no' } } };
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('prefetchReplay', () => {
  it('on a replay link, asks for the player, the session, its batch list and alongside it the batches the moment needs', async () => {
    const fake = fakeFetch(server());
    const loadPlayer = vi.fn(async () => {});
    const prefetched = new Prefetched(fake.fetch);
    await prefetchReplay('#/sessions/s1?t=75000', prefetched, loadPlayer, new InflatedAhead());
    expect(loadPlayer).toHaveBeenCalledOnce();
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches', '/api/sessions/s1/batches/data?at=75000']);
    expect(fake.requests.every((r) => r.method === 'GET' && r.credentials === 'same-origin')).toBe(true);
    // 75 s in: batch 7, played from the snapshot in batch 6 (the plan SessionReplay makes): the server's answer is the one for that range.
    const data = await new ApiClient({ fetch: prefetched.fetch }).getBatchData('s1', 6, 7);
    expect(new Uint8Array(data)).toEqual(framed({ from: 6, to: 7 }));
    expect(fake.requests).toHaveLength(3);
  });

  it("asks for the planned range itself, once, when the server's answer for the moment holds other batches", async () => {
    const fake = fakeFetch(server(undefined, () => ({ from: 5, to: 7 })));
    const prefetched = new Prefetched(fake.fetch);
    await prefetchReplay('#/sessions/s1?t=75000', prefetched, async () => {}, new InflatedAhead());
    const data = await new ApiClient({ fetch: prefetched.fetch }).getBatchData('s1', 6, 7);
    expect(new Uint8Array(data)).toEqual(framed({ from: 6, to: 7 }));
    expect(fake.requests.map((r) => r.url).slice(2)).toEqual(['/api/sessions/s1/batches/data?at=75000', '/api/sessions/s1/batches/data?from=6&to=7']);
  });

  it('hands the answer for the moment to a viewer that asks for the range before it has arrived', async () => {
    const moment = deferred<FakeReply>();
    const answer = server();
    const fake = fakeFetch((request) => (request.url.includes('?at=') ? moment.promise : answer(request)));
    const prefetched = new Prefetched(fake.fetch);
    await prefetchReplay('#/sessions/s1?t=75000', prefetched, async () => {}, new InflatedAhead());
    const data = new ApiClient({ fetch: prefetched.fetch }).getBatchData('s1', 6, 7);
    moment.resolve({ bytes: framed({ from: 6, to: 7 }) });
    expect(new Uint8Array(await data)).toEqual(framed({ from: 6, to: 7 }));
    expect(fake.requests).toHaveLength(3);
  });

  it('holds a request for the batches while the plan for them waits for the list', async () => {
    const list = deferred<FakeReply>();
    const answer = server();
    const fake = fakeFetch((request) => (request.url.endsWith('/batches') ? list.promise : answer(request)));
    const prefetched = new Prefetched(fake.fetch);
    const prefetching = prefetchReplay('#/sessions/s1?t=75000', prefetched, async () => {}, new InflatedAhead());
    const data = new ApiClient({ fetch: prefetched.fetch }).getBatchData('s1', 6, 7);
    list.resolve({ json: { batches, nextFrom: null } });
    await prefetching;
    expect(new Uint8Array(await data)).toEqual(framed({ from: 6, to: 7 }));
    expect(fake.requests).toHaveLength(3);
  });

  it('inflates the batches the moment needs as they arrive, and still hands their answer to the client whole', async () => {
    const fake = fakeFetch(server());
    const prefetched = new Prefetched(fake.fetch);
    const ahead = new InflatedAhead();
    await prefetchReplay('#/sessions/s1?t=75000', prefetched, async () => {}, ahead);
    const data = await new ApiClient({ fetch: prefetched.fetch }).getBatchData('s1', 6, 7);
    const [six, seven] = readBatchFrames(data);
    expect((await ahead.take('s1', six!))?.events).toEqual([{ type: 3, timestamp: T0 + 6, data: {} }]);
    expect((await ahead.take('s1', seven!))?.events).toEqual([{ type: 3, timestamp: T0 + 7, data: {} }]);
    expect(fake.requests).toHaveLength(3);
  });

  it('does nothing on any other route', async () => {
    const fake = fakeFetch(server());
    const loadPlayer = vi.fn(async () => {});
    for (const hash of ['', '#/', '#/sessions', '#/forms?site=a', '#/heatmap?site=a', '#token=abc']) await prefetchReplay(hash, new Prefetched(fake.fetch), loadPlayer);
    expect(fake.requests).toEqual([]);
    expect(loadPlayer).not.toHaveBeenCalled();
  });

  it('leaves a batch list of several pages to the player', async () => {
    const fake = fakeFetch(server({ batches: batches.slice(0, 5), nextFrom: 5 }, () => null));
    await prefetchReplay('#/sessions/s1', new Prefetched(fake.fetch), async () => {}, new InflatedAhead());
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches', '/api/sessions/s1/batches/data?at=0']);
  });
});

describe('Prefetched', () => {
  it("answers the client's requests from what was prefetched, once each, then from the network", async () => {
    const fake = fakeFetch(server());
    const prefetched = new Prefetched(fake.fetch);
    await prefetchReplay('#/sessions/s1', prefetched, async () => {}, new InflatedAhead());
    const client = new ApiClient({ fetch: prefetched.fetch });
    expect(await client.getSession('s1')).toEqual({ id: 's1' });
    expect((await client.listSessionBatches('s1')).batches).toHaveLength(10);
    expect(new Uint8Array(await client.getBatchData('s1', 0, 0))).toEqual(framed({ from: 0, to: 0 }));
    expect(fake.requests).toHaveLength(3);
    // Asked again: the network, as the prefetched answer was used up.
    await client.getSession('s1');
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches', '/api/sessions/s1/batches/data?at=0', '/api/sessions/s1']);
  });

  it('asks again when the prefetched answer was an error or a network failure, so sign-in and retries behave as without it', async () => {
    let signedIn = false;
    let offline = true;
    const fake = fakeFetch((request) => {
      if (request.url === '/api/sessions/a') return signedIn ? { json: { id: 'a' } } : { status: 401, json: { error: { code: 'unauthorized', message: 'Sign in' } } };
      if (offline) return new Error('offline');
      return { json: { id: 'b' } };
    });
    const prefetched = new Prefetched(fake.fetch);
    prefetched.start('/api/sessions/a');
    prefetched.start('/api/sessions/b');
    await settle();
    signedIn = true;
    offline = false;
    const client = new ApiClient({ fetch: prefetched.fetch });
    expect(await client.getSession('a')).toEqual({ id: 'a' });
    expect(await client.getSession('b')).toEqual({ id: 'b' });
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/a', '/api/sessions/b', '/api/sessions/a', '/api/sessions/b']);
  });

  it(`does not use an answer prefetched more than ${PREFETCH_FRESH_MS / 1000} s ago, nor answer anything but a plain GET`, async () => {
    let now = 0;
    let answers = 0;
    const fake = fakeFetch(() => ({ json: { answer: ++answers } }));
    const prefetched = new Prefetched(fake.fetch, () => now);
    prefetched.start('/api/sessions/old');
    prefetched.start('/api/sessions/posted');
    await settle();
    now = PREFETCH_FRESH_MS + 1;
    expect(await (await prefetched.fetch('/api/sessions/old', { method: 'GET' })).json()).toEqual({ answer: 3 });
    expect(await (await prefetched.fetch('/api/sessions/posted', { method: 'POST', body: '{}' })).json()).toEqual({ answer: 4 });
  });

  it('does not prefetch what the viewer already asked for itself', async () => {
    const fake = fakeFetch(() => ({ json: {} }));
    const prefetched = new Prefetched(fake.fetch, () => 0);
    await prefetched.fetch('/api/sessions/s1/batches/data?from=0&to=3', { method: 'GET' });
    expect(prefetched.start('/api/sessions/s1/batches/data?from=0&to=3')).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });
});
