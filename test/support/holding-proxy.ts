// An HTTP proxy on 127.0.0.1 that forwards to one origin and, when asked, leaves the next ingest post hanging.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  origin: string;
  /** The next ingest post is read, never forwarded, and left unanswered until close(). */
  holdNext(): void;
  /** How many requests are held. */
  held(): number;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  let holdNext = false;
  const held: ServerResponse[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    if (holdNext && req.method === 'POST' && req.url?.includes('/api/ingest')) {
      holdNext = false;
      held.push(res);
      req.resume();
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNext: () => void (holdNext = true),
    held: () => held.length,
    close: () =>
      new Promise((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
