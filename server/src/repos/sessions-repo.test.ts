import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import type { NewSession } from './sessions-repo';

const T0 = 1_700_000_000_000;

function newSession(siteId: string, id: string, startedAt: number, overrides: Partial<NewSession> = {}): NewSession {
  return { id, siteId, startedAt, endedAt: startedAt + 1000, eventCount: 3, entryUrl: 'https://shop.example/', userAgent: 'UA', browser: 'Chrome', browserVersion: '131', os: 'Linux', device: 'desktop', receivedAt: T0, ...overrides };
}

async function siteWithSessions(backend: TestBackend) {
  const { sites, sessions, pages } = backend.repos;
  const site = await sites.create({ name: 'Shop', origins: [] });
  await sessions.insert(newSession(site.id, 's-a', T0, { endedAt: T0 + 5000 }));
  await sessions.insert(newSession(site.id, 's-b', T0 + 1000, { browser: 'Firefox', device: 'mobile' }));
  await sessions.insert(newSession(site.id, 's-c', T0 + 2000, { endedAt: T0 + 2500 }));
  await pages.insert({ sessionId: 's-a', pageId: 'p1', url: 'https://shop.example/cart_page', startedAt: T0 });
  await pages.insert({ sessionId: 's-b', pageId: 'p1', url: 'https://shop.example/', startedAt: T0 + 1000 });
  await pages.insert({ sessionId: 's-c', pageId: 'p1', url: 'https://shop.example/cartXpage', startedAt: T0 + 2000 });
  return site;
}

describeBothBackends('sessions, pages and chunks repositories', (backend) => {
  it('stores a session and its batches’ totals; an earlier batch moves the start and the entry URL', async () => {
    const { sites, sessions } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await sessions.insert(newSession(site.id, 's1', T0, { inflatedBytes: 100 }));
    expect(await sessions.findForBatch('s1')).toEqual({ siteId: site.id, startedAt: T0, endedAt: T0 + 1000, eventCount: 3, pageCount: 1, inflatedBytes: 100 });
    await sessions.recordBatch({ id: 's1', startedAt: T0 + 500, endedAt: T0 + 3000, eventCount: 2, inflatedBytes: 50, earlier: false, newPages: 1, url: 'https://shop.example/b', updatedAt: T0 + 10 });
    await sessions.recordBatch({ id: 's1', startedAt: T0 - 500, endedAt: T0 - 100, eventCount: 1, earlier: true, newPages: 0, url: 'https://shop.example/a', updatedAt: T0 + 20 });
    expect(await sessions.findForBatch('s1')).toEqual({ siteId: site.id, startedAt: T0 - 500, endedAt: T0 + 3000, eventCount: 6, pageCount: 2, inflatedBytes: 150 });
    expect(await sessions.get('s1')).toMatchObject({ id: 's1', siteId: site.id, entryUrl: 'https://shop.example/a', durationMs: 3500, browser: 'Chrome', device: 'desktop', watchedAt: null, firstFrictionAt: {} });
    expect(await sessions.findForBatch('nope')).toBeUndefined();
    expect(await sessions.get('nope')).toBeUndefined();
  });

  it('keeps what the analysis found, and the watched mark', async () => {
    const { sites, sessions } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await sessions.insert(newSession(site.id, 's1', T0));
    await sessions.setAnalysis('s1', { friction: { rage_click: 2, dead_click: 1, form_abandonment: 0, error_loop: 0 }, frustrationScore: 0.75, errorCount: 3, userId: 'ann' });
    expect(await sessions.setWatched('s1', T0 + 5)).toBe(true);
    expect(await sessions.setWatched('nope', T0)).toBe(false);
    expect(await sessions.get('s1')).toMatchObject({ friction: { rage_click: 2, dead_click: 1, form_abandonment: 0, error_loop: 0 }, frustrationScore: 0.75, errorCount: 3, userId: 'ann', watchedAt: T0 + 5 });
  });

  it('lists a site’s sessions in each sort, a page at a time, and filters them', async () => {
    const site = await siteWithSessions(backend());
    const { sessions } = backend().repos;
    const ids = async (query: Parameters<typeof sessions.listBySite>[1]) => (await sessions.listBySite(site.id, query)).map((s) => s.id);
    expect(await ids({ sort: 'newest', limit: 10 })).toEqual(['s-c', 's-b', 's-a']);
    expect(await ids({ sort: 'longest', limit: 10 })).toEqual(['s-a', 's-b', 's-c']);
    expect(await ids({ sort: 'newest', limit: 1, after: { sort: 'newest', startedAt: T0 + 2000, id: 's-c' } })).toEqual(['s-b']);
    expect(await ids({ sort: 'longest', limit: 5, after: { sort: 'longest', durationMs: 1000, id: 's-b' } })).toEqual(['s-c']);
    // The fragment is matched as typed: "_" is no wildcard, and ASCII case does not matter.
    expect(await ids({ sort: 'newest', limit: 10, filter: { urlContains: 'CART_page' } })).toEqual(['s-a']);
    expect(await ids({ sort: 'newest', limit: 10, filter: { browser: 'firefox' } })).toEqual(['s-b']);
    expect(await ids({ sort: 'newest', limit: 10, filter: { device: 'desktop', minDurationMs: 1000 } })).toEqual(['s-a']);
    expect(await ids({ sort: 'newest', limit: 10, filter: { startedFrom: T0 + 1000, startedBefore: T0 + 2000 } })).toEqual(['s-b']);
    expect(await ids({ sort: 'newest', limit: 10, filter: { watched: false, identified: false, hasErrors: false } })).toEqual(['s-c', 's-b', 's-a']);
  });

  it('reads a session’s pages in start order and their facts; moves a page’s start only earlier', async () => {
    const { sites, sessions, pages } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await sessions.insert(newSession(site.id, 's1', T0));
    await pages.insert({ sessionId: 's1', pageId: 'p2', url: 'https://shop.example/b', startedAt: T0 + 100 });
    await pages.insert({ sessionId: 's1', pageId: 'p1', url: 'https://shop.example/a', startedAt: T0 + 200 });
    await pages.moveStartEarlier('s1', 'p1', T0);
    await pages.moveStartEarlier('s1', 'p2', T0 + 300);
    expect(await pages.findStartedAt('s1', 'p1')).toBe(T0);
    expect(await pages.findStartedAt('s1', 'p9')).toBeUndefined();
    expect(await pages.listBySession('s1')).toEqual([
      { id: 'p1', url: 'https://shop.example/a', startedAt: T0 },
      { id: 'p2', url: 'https://shop.example/b', startedAt: T0 + 100 },
    ]);
    await pages.setAnalysisFacts('s1', 'p1', 2, 'ann');
    await pages.setAnalysisFacts('s1', 'p2', 1, 'bob');
    expect(await pages.sessionFacts('s1')).toEqual({ errorCount: 3, userId: 'bob' });
    expect(await pages.sessionFacts('nope')).toEqual({ errorCount: 0, userId: null });
  });

  it('stores batches once and reads them back by seq: summaries, sizes and bodies', async () => {
    const { sites, sessions, pages, chunks } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await sessions.insert(newSession(site.id, 's1', T0));
    await pages.insert({ sessionId: 's1', pageId: 'p1', url: 'https://shop.example/', startedAt: T0 });
    const chunk = (seq: number, bytes: number) => ({ sessionId: 's1', seq, pageId: 'p1', firstTs: T0 + seq, lastTs: T0 + seq + 1, eventCount: 2, body: Buffer.alloc(bytes, seq), receivedAt: T0 + seq });
    await chunks.insert({ ...chunk(1, 10), snapshotTs: T0 + 1 });
    expect(await chunks.insertIfNew(chunk(3, 30))).toBe(true);
    expect(await chunks.insertIfNew(chunk(3, 99))).toBe(false);
    await chunks.insert(chunk(2, 20));
    await expect(Promise.resolve().then(() => chunks.insert(chunk(2, 20)))).rejects.toThrow();
    expect(await chunks.exists('s1', 2)).toBe(true);
    expect(await chunks.exists('s1', 4)).toBe(false);
    expect(await chunks.firstSeq('s1')).toBe(1);
    expect(await chunks.firstSeq('nope')).toBeUndefined();
    expect(await chunks.summaries('s1', 2, 10)).toEqual([
      { seq: 2, pageId: 'p1', firstTs: T0 + 2, lastTs: T0 + 3, eventCount: 2, bytes: 20, snapshotTs: null },
      { seq: 3, pageId: 'p1', firstTs: T0 + 3, lastTs: T0 + 4, eventCount: 2, bytes: 30, snapshotTs: null },
    ]);
    expect((await chunks.summaries('s1', 0, 1))[0]).toMatchObject({ seq: 1, snapshotTs: T0 + 1 });
    expect(await chunks.sizes('s1', 1, 3, 2)).toEqual([{ seq: 1, bytes: 10 }, { seq: 2, bytes: 20 }]);
    expect((await chunks.bodiesInRange('s1', 2, 3)).map(({ seq, body }) => [seq, body.length, body[0]])).toEqual([[2, 20, 2], [3, 30, 3]]);
    expect(await chunks.nextBody('s1', 4)).toBeUndefined();
    const next = await chunks.nextBody('s1', 2);
    expect([next?.seq, next?.body.length]).toEqual([2, 20]);
    expect(await chunks.forAnalysis('s1', 3)).toMatchObject({ siteId: site.id, pageId: 'p1', receivedAt: T0 + 3 });
  });
});
