import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_MAX_BODY_BYTES, createBatchSender } from './batch-sender';
import { createGzip, type Gzip } from './gzip';

interface Posted { url: string; init: RequestInit }

function fakeFetch() {
  const posted: Posted[] = [];
  const finish: Array<() => void> = [];
  const fetch = ((url: string, init: RequestInit) => {
    posted.push({ url, init });
    return new Promise<Response>((resolve) => finish.push(() => resolve(new Response(null, { status: 202 }))));
  }) as typeof globalThis.fetch;
  return { fetch, posted, finishAll: () => finish.splice(0).forEach((f) => f()) };
}

const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
const options = { endpoint: 'https://fl.example.net', siteKey: 'site key/1' };

describe('createBatchSender', () => {
  it('posts gzip as text/plain without credentials to the ingest URL', async () => {
    const net = fakeFetch();
    const sender = createBatchSender({ ...options, fetch: net.fetch, gzip: createGzip(globalThis) });
    sender.send('{"seq":0}');
    await vi.waitFor(() => expect(net.posted).toHaveLength(1));
    const [{ url, init }] = net.posted as [Posted];
    expect(url).toBe('https://fl.example.net/api/ingest?key=site%20key%2F1&enc=gzip');
    expect(init).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'text/plain' }, credentials: 'omit', keepalive: false });
    expect(gunzipSync(init.body as Uint8Array).toString()).toBe('{"seq":0}');
  });

  it('posts plain JSON with enc=identity where CompressionStream is missing', () => {
    const net = fakeFetch();
    createBatchSender({ ...options, fetch: net.fetch, gzip: null }).send('{"seq":1}');
    expect(net.posted.map((p) => [p.url.split('?')[1], p.init.body])).toEqual([['key=site%20key%2F1&enc=identity', '{"seq":1}']]);
  });

  it('falls back to plain JSON when compression fails', async () => {
    const net = fakeFetch();
    const failing: Gzip = () => Promise.reject(new Error('no'));
    createBatchSender({ ...options, fetch: net.fetch, gzip: failing }).send('{"seq":2}');
    await flushPromises();
    expect(net.posted.map((p) => p.init.body)).toEqual(['{"seq":2}']);
  });

  it('sendNow takes over bodies still compressing, posts everything at once and never twice', async () => {
    const net = fakeFetch();
    let release: () => void = () => {};
    const slow: Gzip = () => new Promise((resolve) => (release = () => resolve(new Uint8Array([1]))));
    const sender = createBatchSender({ ...options, fetch: net.fetch, gzip: slow });
    sender.send('{"seq":3}');
    sender.sendNow(['{"seq":4}', '{"seq":5}']);
    expect(net.posted.map((p) => [p.init.body, p.init.keepalive, p.url.endsWith('enc=identity')])).toEqual([
      ['{"seq":3}', true, true],
      ['{"seq":4}', true, true],
      ['{"seq":5}', true, true],
    ]);
    release();
    await flushPromises();
    expect(net.posted).toHaveLength(3);
  });

  it('uses keepalive only within the 64 KiB in-flight quota', () => {
    const net = fakeFetch();
    const sender = createBatchSender({ ...options, fetch: net.fetch, gzip: null });
    const big = 'x'.repeat(KEEPALIVE_MAX_BODY_BYTES);
    const tooBig = 'x'.repeat(KEEPALIVE_MAX_BODY_BYTES + 1);
    sender.sendNow([big, 'y'.repeat(6000), 'z'.repeat(4000), tooBig]);
    expect(net.posted.map((p) => p.init.keepalive)).toEqual([true, false, true, false]);
  });

  it('frees quota when keepalive requests settle', async () => {
    const net = fakeFetch();
    const sender = createBatchSender({ ...options, fetch: net.fetch, gzip: null });
    const big = 'x'.repeat(KEEPALIVE_MAX_BODY_BYTES);
    sender.sendNow([big]);
    net.finishAll();
    await flushPromises();
    sender.sendNow([big]);
    expect(net.posted.map((p) => p.init.keepalive)).toEqual([true, true]);
  });

  it('swallows network failures and a throwing fetch', async () => {
    const rejecting = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const throwing = (() => { throw new TypeError('bad'); }) as typeof fetch;
    expect(() => createBatchSender({ ...options, fetch: rejecting, gzip: null }).send('{}')).not.toThrow();
    expect(() => createBatchSender({ ...options, fetch: throwing, gzip: null }).sendNow(['{}'])).not.toThrow();
    await flushPromises();
  });
});
