import { gunzipSync } from 'node:zlib';
import { expect, it, vi } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
import { describeAppOnBothBackends } from '../testing/backend-test-app';
import { SHOP_ORIGIN, adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents } from '../testing/test-app';

const T0 = 1_700_000_000_000;

describeAppOnBothBackends('GET /api/sessions/:id/events', (backend) => {
  const get = async (path: string, headers: Record<string, string> = adminHeaders()): Promise<Response> => backend().app.request(path, { headers });

  it('returns the events of two page loads in seq order even when posted out of order', async () => {
    const t = backend();
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
    const t = backend();
    const events = sampleEvents(T0, 6);
    for (const [seq, part] of [events.slice(0, 3), events.slice(3)].entries()) {
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events: part })))).status).toBe(200);
    }
    // A gzip header and nothing after it.
    await t.exec('UPDATE chunks SET body = ? WHERE seq = 0', [Buffer.from([0x1f, 0x8b, 0x00, 0x00])]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const res = await get('/api/sessions/session-0001/events');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(events.slice(3));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('compresses large responses for clients that accept gzip', async () => {
    const t = backend();
    const many = sampleEvents(T0, 200);
    await postIngest(t.app, t.site.key, gzipJson(makeBatch({ events: many })));
    const res = await get('/api/sessions/session-0001/events', { ...adminHeaders(), 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const events = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')) as eventWithTime[];
    expect(events).toHaveLength(200);
  });

  it('answers 404 not_found for an unknown session, here and on the detail route', async () => {
    const t = backend();
    for (const path of ['/api/sessions/nosuchsession/events', '/api/sessions/nosuchsession']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
