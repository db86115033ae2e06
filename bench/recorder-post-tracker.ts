// Follows the recording posts of the overhead bench's page from the server side: a proxy in front of each endpoint.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { isRecordingPost } from './condition-pages';

/** Quiet means no recording request started or ended for this long... */
const QUIET_MS = 200;
/** ...and the main thread busy for under 5% of a probe this long. */
const IDLE_PROBE_MS = 100;
const IDLE_BUSY_SHARE = 0.05;

/**
 * How many posts are in flight, when one last started or ended, and what they said (ours
 * gunzipped). Seen at the proxy, not through DevTools' Network domain, which would copy each body
 * on the page's main thread (recorder-raw-page.ts).
 */
export class PostTracker {
  pending = 0;
  lastChange = 0;
  bodies: string[] = [];
  failures: string[] = [];
  private waiters: (() => void)[] = [];

  started(url: string, body: Buffer): void {
    if (!isRecordingPost(url)) return;
    this.pending++;
    this.lastChange = Date.now();
    try {
      this.bodies.push((url.includes('enc=gzip') ? gunzipSync(body) : body).toString('latin1'));
    } catch {
      this.bodies.push(body.toString('latin1'));
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  ended(url: string, failure?: string): void {
    if (!isRecordingPost(url)) return;
    this.pending--;
    this.lastChange = Date.now();
    if (failure) this.failures.push(failure);
  }

  sent(text: string): boolean {
    return this.bodies.some((body) => body.includes(text));
  }

  /** Resolves once a post whose body includes `text` has started. */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.sent(text)) {
      if (Date.now() > deadline) throw new Error(`no recording post with ${JSON.stringify(text)} within ${timeoutMs} ms`);
      await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), sleep(100)]);
    }
  }

  /** Nothing in flight or just finished, and `cpuMs` shows an idle main thread. */
  async quiet(cpuMs: () => Promise<number>): Promise<void> {
    this.lastChange = Math.max(this.lastChange, Date.now());
    for (;;) {
      const before = await cpuMs();
      await sleep(IDLE_PROBE_MS);
      const busy = (await cpuMs()) - before;
      if (this.pending === 0 && Date.now() - this.lastChange >= QUIET_MS && busy < IDLE_PROBE_MS * IDLE_BUSY_SHARE) return;
    }
  }
}

const read = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** A proxy to http://hostPort that tells the tracker of every request; returns its own host:port. */
export async function startTrackingProxy(hostPort: string, tracker: PostTracker): Promise<{ hostPort: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const url = req.url ?? '/';
    try {
      const body = await read(req);
      const post = req.method === 'POST';
      if (post) tracker.started(url, body);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
      const response = await fetch(`http://${hostPort}${url}`, { method: req.method, headers, body: post ? new Uint8Array(body) : undefined });
      const answer = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries([...response.headers].filter(([name]) => !['content-encoding', 'content-length', 'connection', 'transfer-encoding'].includes(name))));
      res.end(answer);
      if (post) tracker.ended(url, response.status === 200 ? undefined : `${url} answered ${response.status}`);
    } catch (error) {
      res.destroy();
      if (req.method === 'POST') tracker.ended(url, `${url}: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { hostPort: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
