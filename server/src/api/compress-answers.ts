// Compresses the admin API's answers: one held in memory goes with its length, gzipped only when large enough to gain; a streamed one (a session's events) is gzipped as it flows.
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';

/** Answers built as streams, which must go out as they are made, not be read whole first. */
const streamed = new WeakSet<Response>();

/** Marks a route's answer as a stream (see compressAnswers). */
export function markStreamed(res: Response): Response {
  streamed.add(res);
  return res;
}

/**
 * hono's compress() skips an answer under its 1 KB threshold only when the answer states its
 * length, which c.json() does not: every small JSON answer went through a CompressionStream, whose
 * chunks each wait a turn of the event loop (and of zlib's thread pool), so on a busy server a
 * 600-byte answer finished hundreds of ms after its headers. An answer already in memory is read
 * whole here (a copy of bytes the process holds anyway) and sent with its length.
 */
export function compressAnswers(): MiddlewareHandler {
  const gzip = compress();
  return (c, next) =>
    gzip(c, async () => {
      await next();
      const res = c.res;
      if (streamed.has(res) || res.body === null || res.headers.has('Content-Length') || res.headers.has('Content-Encoding')) return;
      const bytes = new Uint8Array(await res.arrayBuffer());
      const headers = new Headers(res.headers);
      headers.set('Content-Length', String(bytes.byteLength));
      // Cleared first, so hono does not wrap the new answer in a stream of the old one's body.
      c.res = undefined;
      c.res = new Response(bytes, { status: res.status, statusText: res.statusText, headers });
    });
}
