import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { compressAnswers, markStreamed } from './compress-answers';

const GZIP = { 'accept-encoding': 'gzip' };

function app(release: Promise<void>): Hono {
  const app = new Hono();
  app.use('*', compressAnswers());
  app.get('/small', (c) => c.json({ ok: true, note: 'a few hundred bytes at most' }));
  app.get('/large', (c) => c.json({ rows: Array.from({ length: 500 }, (_, i) => ({ i, label: `row ${i}` })) }));
  app.get('/streamed', (c) => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('['.padEnd(2000, ' ')));
        // The rest is made only once the answer is on its way: read whole first, it never would be.
        await release;
        controller.enqueue(encoder.encode(']'));
        controller.close();
      },
    });
    return markStreamed(c.body(body, 200, { 'Content-Type': 'application/json' }));
  });
  return app;
}

describe('compressAnswers', () => {
  it('sends a small answer as it is, with its length', async () => {
    const res = await app(Promise.resolve()).request('/small', { headers: GZIP });
    expect(res.headers.get('content-encoding')).toBeNull();
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ ok: true, note: 'a few hundred bytes at most' });
  });

  it('gzips a large answer for a client that accepts it, and not for one that does not', async () => {
    const zipped = await app(Promise.resolve()).request('/large', { headers: GZIP });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const rows = (JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()) as { rows: unknown[] }).rows;
    expect(rows).toHaveLength(500);
    const plain = await app(Promise.resolve()).request('/large');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(await plain.text()));
  });

  it('gzips a streamed answer as it flows, without waiting for its end', async () => {
    let release!: () => void;
    const res = await app(new Promise<void>((resolve) => (release = resolve))).request('/streamed', { headers: GZIP });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-length')).toBeNull();
    release();
    expect(JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString())).toEqual([]);
  });
});
