// An HTTP proxy on 127.0.0.1 that forwards to one origin and logs every ingest post the recorder made: its batch and the answer.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface LoggedPost {
  sessionId: string;
  seq: number;
  pageId: string;
  final: boolean;
  /** The upstream's status, 0 while unanswered or when the upstream could not be reached. */
  status: number;
  /** The upstream's answer said it had the batch already. */
  duplicate: boolean;
  /** The batch JSON as posted (inflated). */
  json: string;
}

export interface CountingProxy {
  origin: string;
  /** Every ingest post that reached the proxy, in arrival order (keepalive posts of a page going away too). */
  posts: LoggedPost[];
  /** Posts of one session. */
  of(sessionId: string): LoggedPost[];
  close(): Promise<void>;
}

/** `target` is the server's origin, or a function answering in its place (a stub). */
export async function startCountingProxy(target: string | ((req: IncomingMessage, res: ServerResponse) => void)): Promise<CountingProxy> {
  const posts: LoggedPost[] = [];
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.includes('/api/ingest')) return forward(req, res, Buffer.alloc(0), null);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let post: LoggedPost | null = null;
      try {
        const json = req.url!.includes('enc=gzip') ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        const batch = JSON.parse(json) as { sessionId: string; seq: number; pageId: string; final?: boolean };
        post = { sessionId: batch.sessionId, seq: batch.seq, pageId: batch.pageId, final: batch.final === true, status: 0, duplicate: false, json };
        posts.push(post);
      } catch {
        // Not a batch: forwarded as it is, for the server to refuse.
      }
      forward(req, res, body, post);
    });
  });

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, post: LoggedPost | null): void {
    if (typeof target === 'function') {
      res.on('finish', () => post && (post.status = res.statusCode));
      return target(req, res);
    }
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => parts.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(parts);
        if (post) {
          post.status = answer.statusCode ?? 0;
          post.duplicate = text.toString('utf8').includes('"duplicate":true');
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(text);
      });
    });
    upstream.on('error', () => res.destroy());
    if (req.method === 'POST') upstream.end(body);
    else req.pipe(upstream);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    of: (sessionId) => posts.filter((post) => post.sessionId === sessionId),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
