// A small load balancer for multi-node tests: each request goes to the next node in turn, and a node that refuses connections is skipped for a while.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long a node that refused a connection is left out, as a load balancer's passive health check would. */
const DOWN_FOR_MS = 2000;

export interface Upstream {
  host: string;
  port: number;
}

export interface RoundRobinProxy {
  url: string;
  /** Requests answered by each upstream, in the order given. */
  readonly answered: number[];
  /** Requests answered 502 because the node they went to failed mid-request. */
  readonly failed: number;
  close(): Promise<void>;
}

/**
 * Requests are not retried on another node once sent (a POST may have been stored): the client
 * gets a 502 and retries itself, as behind a real load balancer. A refused connection has sent
 * nothing, so that request goes to the next node.
 */
export async function startRoundRobinProxy(upstreams: Upstream[]): Promise<RoundRobinProxy> {
  const answered = upstreams.map(() => 0);
  const downUntil = upstreams.map(() => 0);
  let next = 0;
  let failed = 0;

  function pick(): number | undefined {
    for (let tried = 0; tried < upstreams.length; tried++) {
      const index = next++ % upstreams.length;
      if (downUntil[index]! <= Date.now()) return index;
    }
    return undefined;
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, attempt: number): void {
    const index = pick();
    if (index === undefined || attempt >= upstreams.length) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('no node is up\n');
      return;
    }
    const { host, port } = upstreams[index]!;
    const upstream = request({ host, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      answered[index]! += 1;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') {
        downUntil[index] = Date.now() + DOWN_FOR_MS;
        forward(req, res, body, attempt + 1);
        return;
      }
      downUntil[index] = Date.now() + DOWN_FOR_MS;
      failed += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('the node failed\n');
      else res.destroy();
    });
    upstream.end(body);
  }

  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => forward(req, res, Buffer.concat(parts), 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    get failed() {
      return failed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
