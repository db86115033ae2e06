import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
import type { SessionList } from '../api-types';
import {
  SHOP_ORIGIN,
  adminHeaders,
  createTestApp,
  gzipJson,
  makeBatch,
  postIngest,
  sampleEvents,
  type TestApp,
} from '../testing/test-app';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const T0 = 1_700_000_000_000;

async function get(path: string, headers: Record<string, string> = adminHeaders()): Promise<Response> {
  return t.app.request(path, { headers });
}

/** Stores one single-batch session starting at `start`. */
async function storeSession(id: string, start: number): Promise<void> {
  const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: id, events: sampleEvents(start) })));
  expect(res.status).toBe(200);
}

describe('GET /api/sessions', () => {
  it('lists newest first with id as the tiebreak, and pages through with the cursor', async () => {
    await storeSession('session-a', T0);
    await storeSession('session-b', T0 + 2000);
    await storeSession('session-c', T0 + 1000);
    await storeSession('session-d', T0 + 1000);
    await storeSession('session-e', T0 + 3000);

    const first = (await (await get(`/api/sessions?site=${t.site.id}&limit=2`)).json()) as SessionList;
    expect(first.sessions.map((s) => s.id)).toEqual(['session-e', 'session-b']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (await get(`/api/sessions?site=${t.site.id}&limit=2&before=${first.nextCursor}`)).json()) as SessionList;
    expect(second.sessions.map((s) => s.id)).toEqual(['session-d', 'session-c']);
    const third = (await (await get(`/api/sessions?site=${t.site.id}&limit=2&before=${second.nextCursor}`)).json()) as SessionList;
    expect(third.sessions.map((s) => s.id)).toEqual(['session-a']);
    expect(third.nextCursor).toBeNull();
  });

  it('returns summaries with every field', async () => {
    await storeSession('session-a', T0);
    const list = (await (await get(`/api/sessions?site=${t.site.id}`)).json()) as SessionList;
    expect(list).toEqual({
      sessions: [
        {
          id: 'session-a',
          siteId: t.site.id,
          startedAt: T0,
          endedAt: T0 + 30,
          durationMs: 30,
          pageCount: 1,
          eventCount: 4,
          entryUrl: `${SHOP_ORIGIN}/`,
          browser: 'Chrome',
          browserVersion: '131.0.0.0',
          os: 'Windows',
          device: 'desktop',
          // Not analysed yet: no friction, no errors, no user.
          friction: { rage_click: 0, dead_click: 0, form_abandonment: 0, error_loop: 0 },
          frustrationScore: 0,
          errorCount: 0,
          userId: null,
        },
      ],
      nextCursor: null,
    });
  });

  it('keeps other sites’ sessions out', async () => {
    await storeSession('session-a', T0);
    const other = t.repos.sites.create({ name: 'Other', origins: ['self'] });
    const list = (await (await get(`/api/sessions?site=${other.id}`)).json()) as SessionList;
    expect(list).toEqual({ sessions: [], nextCursor: null });
  });

  it.each([
    ['/api/sessions', 400, 'invalid_request'],
    ['/api/sessions?site=nosuchsite', 404, 'not_found'],
    ['/api/sessions?site=SITE&limit=0', 400, 'invalid_request'],
    ['/api/sessions?site=SITE&limit=ten', 400, 'invalid_request'],
    ['/api/sessions?site=SITE&before=garbage', 400, 'invalid_request'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const res = await get(path.replace('SITE', t.site.id));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('caps limit at 200', async () => {
    await storeSession('session-a', T0);
    expect((await get(`/api/sessions?site=${t.site.id}&limit=5000`)).status).toBe(200);
  });
});

describe('GET /api/sessions/:id/events', () => {
  it('returns the events of two page loads in seq order even when posted out of order', async () => {
    const page1 = sampleEvents(T0, 6);
    const page2 = sampleEvents(T0 + 60_000, 5, `${SHOP_ORIGIN}/checkout`);
    const batches = [
      makeBatch({ seq: 0, pageId: 'page-one1', events: page1.slice(0, 3) }),
      makeBatch({ seq: 1, pageId: 'page-one1', events: page1.slice(3) }),
      makeBatch({ seq: 2, pageId: 'page-two2', url: `${SHOP_ORIGIN}/checkout`, events: page2 }),
    ];
    for (const index of [2, 0, 1]) expect((await postIngest(t.app, t.site.key, gzipJson(batches[index]))).status).toBe(200);

    const res = await get('/api/sessions/session-0001/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const events = (await res.json()) as eventWithTime[];
    expect(events).toEqual([...page1, ...page2]);
    expect(events.filter((event) => event.type === 2)).toHaveLength(2);
  });

  it('skips a damaged stored batch and still returns the rest', async () => {
    const events = sampleEvents(T0, 6);
    for (const [seq, part] of [events.slice(0, 3), events.slice(3)].entries()) {
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events: part })))).status).toBe(200);
    }
    t.db.prepare("UPDATE chunks SET body = X'1f8b0000' WHERE seq = 0").run();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const res = await get('/api/sessions/session-0001/events');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(events.slice(3));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('compresses large responses for clients that accept gzip', async () => {
    const many = sampleEvents(T0, 200);
    await postIngest(t.app, t.site.key, gzipJson(makeBatch({ events: many })));
    const res = await get('/api/sessions/session-0001/events', { ...adminHeaders(), 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const events = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')) as eventWithTime[];
    expect(events).toHaveLength(200);
  });

  it('answers 404 not_found for an unknown session, here and on the detail route', async () => {
    for (const path of ['/api/sessions/nosuchsession/events', '/api/sessions/nosuchsession']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
