import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGzip } from './gzip';

describe('createGzip', () => {
  it('is null where CompressionStream is missing', () => {
    expect(createGzip({})).toBeNull();
  });

  it('produces gzip that inflates back to the UTF-8 of the pieces, joined', async () => {
    const gzip = createGzip(globalThis)!;
    const events = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, title: 'Grüße 😀' }));
    const parts = ['{"events":[', ...events.flatMap((json, i) => (i ? [',', json] : [json])), ']}'];
    const text = parts.join('');
    const compressed = await gzip(parts);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(compressed.length).toBeLessThan(text.length / 4);
    expect(gunzipSync(compressed).toString('utf8')).toBe(text);
  });
});

/** A Worker stand-in running the real worker source's contract by hand: [id, pieces] in, [id, gzip] out. */
function fakeWorkerScope(behaviour: 'works' | 'fails') {
  const posted: unknown[] = [];
  class FakeWorker {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly url: string) {}
    postMessage(data: [number, string[]]) {
      posted.push(data);
      setTimeout(() => (behaviour === 'works' ? this.onmessage!({ data: [data[0], new Uint8Array(gzipSync(data[1].join('')))] }) : this.onerror!()));
    }
  }
  const scope = { CompressionStream: globalThis.CompressionStream, Worker: FakeWorker as unknown as typeof Worker, URL: { createObjectURL: () => 'blob:x' } };
  return { scope, posted };
}

describe('createGzip with a worker', () => {
  it('hands the pieces to the worker as they are and answers each call with its own bytes', async () => {
    const { scope, posted } = fakeWorkerScope('works');
    const gzip = createGzip(scope)!;
    const [a, b] = await Promise.all([gzip(['{"a":', '1}']), gzip(['{"b":2}'])]);
    expect(posted).toEqual([[0, ['{"a":', '1}']], [1, ['{"b":2}']]]);
    expect([gunzipSync(a!).toString(), gunzipSync(b!).toString()]).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('compresses on the main thread when the worker fails (a CSP without blob: workers), including what it held', async () => {
    const { scope, posted } = fakeWorkerScope('fails');
    const gzip = createGzip(scope)!;
    expect(gunzipSync(await gzip(['{"held":1}'])).toString()).toBe('{"held":1}');
    expect(gunzipSync(await gzip(['{"after":2}'])).toString()).toBe('{"after":2}');
    expect(posted).toEqual([[0, ['{"held":1}']]]);
  });

  it('compresses on the main thread when the Worker constructor throws', async () => {
    const scope = { CompressionStream: globalThis.CompressionStream, Worker: class { constructor() { throw new DOMException('blocked', 'SecurityError'); } } as unknown as typeof Worker, URL: { createObjectURL: () => 'blob:x' } };
    expect(gunzipSync(await createGzip(scope)!(['{"c":3}'])).toString()).toBe('{"c":3}');
  });
});
