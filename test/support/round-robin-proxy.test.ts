import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

/** A node that answers with its name and the body it was sent. */
async function node(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => res.end(`${name}:${req.headers.host}:${Buffer.concat(parts).toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('startRoundRobinProxy', () => {
  let proxy: RoundRobinProxy | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    await proxy?.close();
    for (const server of servers.splice(0)) server.close();
  });

  it('sends requests to each node in turn with body and Host intact, and skips a node that is down', async () => {
    const [a, b] = [await node('a'), await node('b')];
    servers.push(a.server, b.server);
    proxy = await startRoundRobinProxy([a, b].map(({ port }) => ({ host: '127.0.0.1', port })));
    const host = new URL(proxy.url).host;
    const post = async (body: string) => (await fetch(`${proxy!.url}/api/ingest`, { method: 'POST', body })).text();
    expect([await post('1'), await post('2'), await post('3')]).toEqual([`a:${host}:1`, `b:${host}:2`, `a:${host}:3`]);
    a.server.close();
    await new Promise((resolve) => a.server.once('close', resolve));
    expect([await post('4'), await post('5')]).toEqual([`b:${host}:4`, `b:${host}:5`]);
    expect(proxy.answered).toEqual([2, 3]);
  });
});
