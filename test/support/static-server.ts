// A minimal static file server on 127.0.0.1 for end-to-end fixtures, with optional HTML rewriting.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.cjs': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves files under `root`; `rewriteHtml` may change each HTML page before it is sent. `onRequest`
 * sees every request's method and URL first (a test may count beacons sent to it).
 */
export async function startStaticServer(
  root: string,
  rewriteHtml: (html: string) => string = (html) => html,
  onRequest?: (method: string, url: string) => void,
): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    onRequest?.(req.method ?? 'GET', req.url ?? '/');
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path.includes('..')) return void res.writeHead(400).end();
    // Some Chromium builds ask for a favicon and log its 404 as a console error the tests would see.
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    try {
      const file = join(root, path === '/' ? 'index.html' : path);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      let body: Buffer | string = await readFile(file);
      if (type.startsWith('text/html')) body = rewriteHtml(body.toString('utf8'));
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
