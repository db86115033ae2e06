import { connect } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createErrorHandler } from '../errors/error-handler';
import { readLimitedBody } from './read-limited-body';

const MAX_BYTES = 100;

// Real HTTP: the cases below are about Node's request stream, which app.request() does not have.
let server: ServerType;
let port: number;
let logged: unknown[];
let outcomes: string[];
/** Resolved as the handler starts reading a body, and as it is done with it: the events the tests wait on. */
let reading: Promise<void>;
let outcome: Promise<string>;

beforeEach(async () => {
  logged = [];
  outcomes = [];
  let startedReading!: () => void;
  let settled!: (result: string) => void;
  reading = new Promise((resolve) => (startedReading = resolve));
  outcome = new Promise((resolve) => (settled = resolve));
  const record = (result: string) => {
    outcomes.push(result);
    settled(result);
  };
  const app = new Hono();
  app.onError(createErrorHandler((_message, error) => logged.push(error)));
  app.post('/body', async (c) => {
    try {
      startedReading();
      const body = await readLimitedBody(c.req, MAX_BYTES);
      record(`read ${body.length}`);
      return c.text(String(body.length));
    } catch (error) {
      record(`threw ${(error as { status?: number }).status ?? 'error'}`);
      throw error;
    }
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/body`, { method: 'POST', body, headers });

describe('readLimitedBody', () => {
  it('reads a body within the limit, and refuses one over it with 413, declared or chunked', async () => {
    expect(await (await post('x'.repeat(MAX_BYTES))).text()).toBe(String(MAX_BYTES));
    expect((await post('x'.repeat(MAX_BYTES + 1))).status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(60)));
        controller.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${port}/body`, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(logged).toEqual([]);
  });

  it('turns a client that goes away mid-body into a 400, not a logged server error', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${MAX_BYTES}\r\n\r\n${'z'.repeat(10)}`);
    // The handler is waiting for the other 90 bytes when the client goes.
    await reading;
    socket.destroy();
    expect(await outcome).toBe('threw 400');
    expect(outcomes).toEqual(['threw 400']);
    expect(logged).toEqual([]);
  });
});
