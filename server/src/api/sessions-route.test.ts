import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
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
