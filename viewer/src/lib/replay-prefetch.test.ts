import { describe, expect, it, vi } from 'vitest';
import { fakeFetch, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { ApiClient } from './api-client';
import type { BatchSummary, SessionBatchList } from './contract';
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

function server(list: SessionBatchList = { batches, nextFrom: null }) {
  return (request: RecordedRequest): FakeReply => {
    if (request.url.endsWith('/batches')) return { json: list };
    if (request.url.includes('/batches/data')) return { bytes: new Uint8Array(8) };
    if (request.url === '/api/sessions/s1') return { json: { id: 's1' } };
    return { status: 404, json: { error: { code: 'not_found', message: 'no' } } };
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('prefetchReplay', () => {
  it('on a replay link, asks for the player, the session, its batch list, then the batches the moment needs', async () => {
    const fake = fakeFetch(server());
    const loadPlayer = vi.fn(async () => {});
    prefetchReplay('#/sessions/s1?t=75000', new Prefetched(fake.fetch), loadPlayer);
    await settle();
    expect(loadPlayer).toHaveBeenCalledOnce();
    // 75 s in: batch 7, played from the snapshot in batch 6 (the same plan SessionReplay makes).
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches', '/api/sessions/s1/batches/data?from=6&to=7']);
    expect(fake.requests.every((r) => r.method === 'GET' && r.credentials === 'same-origin')).toBe(true);
  });

  it('does nothing on any other route', async () => {
    const fake = fakeFetch(server());
    const loadPlayer = vi.fn(async () => {});
    for (const hash of ['', '#/', '#/sessions', '#/forms?site=a', '#/heatmap?site=a', '#token=abc']) prefetchReplay(hash, new Prefetched(fake.fetch), loadPlayer);
    await settle();
    expect(fake.requests).toEqual([]);
    expect(loadPlayer).not.toHaveBeenCalled();
  });

  it('leaves a batch list of several pages to the player', async () => {
    const fake = fakeFetch(server({ batches: batches.slice(0, 5), nextFrom: 5 }));
    prefetchReplay('#/sessions/s1', new Prefetched(fake.fetch), async () => {});
    await settle();
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches']);
  });
});

describe('Prefetched', () => {
  it("answers the client's requests from what was prefetched, once each, then from the network", async () => {
    const fake = fakeFetch(server());
    const prefetched = new Prefetched(fake.fetch);
    prefetchReplay('#/sessions/s1', prefetched, async () => {});
    await settle();
    const client = new ApiClient({ fetch: prefetched.fetch });
    expect(await client.getSession('s1')).toEqual({ id: 's1' });
    expect((await client.listSessionBatches('s1')).batches).toHaveLength(10);
    expect((await client.getBatchData('s1', 0, 0)).byteLength).toBe(8);
    expect(fake.requests).toHaveLength(3);
    // Asked again: the network, as the prefetched answer was used up.
    await client.getSession('s1');
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/sessions/s1', '/api/sessions/s1/batches', '/api/sessions/s1/batches/data?from=0&to=0', '/api/sessions/s1']);
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
