import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, gzipJson, makeBatch, postIngest, rowCounts, sampleEvents, type TestApp } from '../testing/test-app';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const T0 = 1_700_000_000_000;

describe('batches posted at the same moment', () => {
  it('are stored together, each answered on its own', async () => {
    const bodies = Array.from({ length: 8 }, (_, seq) => gzipJson(makeBatch({ seq, events: sampleEvents(T0 + seq * 1000) })));
    const responses = await Promise.all(bodies.map((body) => postIngest(t.app, t.site.key, body)));
    expect(responses.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(rowCounts(t.db)).toEqual({ sessions: 1, pages: 1, chunks: 8 });
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ eventCount: 32, startedAt: T0, endedAt: T0 + 7030 });
  });

  it('keep a refused batch from undoing the others in its commit', async () => {
    const other = t.repos.sites.create({ name: 'Other', origins: ['self'] });
    await postIngest(t.app, other.key, gzipJson(makeBatch({ sessionId: 'taken-session' })));
    const [ok, conflict, retry, second] = await Promise.all([
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 }))),
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'taken-session', seq: 1 }))),
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 }))),
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0 + 5000) }))),
    ]);
    expect(ok!.status).toBe(200);
    expect(await ok!.json()).toEqual({ stored: true, duplicate: false });
    expect(conflict!.status).toBe(409);
    // The retry of seq 0 shares the commit with the original, and still counts as a duplicate.
    expect(await retry!.json()).toEqual({ stored: false, duplicate: true });
    expect(await second!.json()).toEqual({ stored: true, duplicate: false });
    expect(t.db.prepare(`SELECT seq FROM chunks WHERE session_id = 'session-0001' ORDER BY seq`).pluck().all()).toEqual([0, 1]);
    expect(t.db.prepare(`SELECT count(*) FROM chunks WHERE session_id = 'taken-session'`).pluck().get()).toBe(1);
  });

  it('count each batch once when a refusal makes the group be stored again', async () => {
    const other = t.repos.sites.create({ name: 'Other', origins: ['self'] });
    await postIngest(t.app, other.key, gzipJson(makeBatch({ sessionId: 'taken-session' })));
    await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })));
    const responses = await Promise.all([
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0 + 5000) }))),
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'taken-session', seq: 1 }))),
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 2, events: sampleEvents(T0 + 9000) }))),
    ]);
    expect(responses.map((res) => res.status)).toEqual([200, 409, 200]);
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ eventCount: 12, pageCount: 1, endedAt: T0 + 9030 });
    expect(rowCounts(t.db)).toEqual({ sessions: 2, pages: 2, chunks: 4 });
  });
});
