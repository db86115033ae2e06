import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import type { PageSignal } from '../analysis/page-signals';
import type { FrictionFlag } from '../api-types';

const T0 = 1_700_000_000_000;

async function session(backend: TestBackend, siteId: string, id: string, pageIds: string[] = ['p1']): Promise<void> {
  const { sessions, pages } = backend.repos;
  await sessions.insert({ id, siteId, startedAt: T0, endedAt: T0 + 1000, eventCount: 1, entryUrl: 'https://shop.example/', userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: T0 });
  for (const pageId of pageIds) await pages.insert({ sessionId: id, pageId, url: `https://shop.example/${pageId}`, startedAt: T0 });
}

const flag = (type: FrictionFlag['type'], ts: number, url: string, selector: string | null, details: Record<string, unknown> = {}) =>
  ({ type, ts, url, selector, reason: `${type} at ${selector}`, details }) as unknown as FrictionFlag;

describeBothBackends('friction, page signals and session timeline repositories', (backend) => {
  it('replaces a page’s flags and reads them per session, in time order, with their counts', async () => {
    const { sites, friction } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await session(backend(), site.id, 's1', ['p1', 'p2']);
    await friction.replaceForPage(site.id, 's1', 'p1', [flag('rage_click', T0 + 20.7, 'https://shop.example/cart?x=1', '#buy', { targetText: 'Buy' }), flag('dead_click', T0 + 10, 'https://shop.example/cart', '#img')]);
    await friction.replaceForPage(site.id, 's1', 'p2', [flag('rage_click', T0 + 30, 'https://shop.example/cart', '#buy')]);
    // Judged again: the page's earlier flags go.
    await friction.replaceForPage(site.id, 's1', 'p2', [flag('error_loop', T0 + 40, 'https://shop.example/pay', null)]);
    expect((await friction.listBySession('s1')).map((f) => [f.type, f.ts, f.pageId, f.selector])).toEqual([
      ['dead_click', T0 + 10, 'p1', '#img'],
      ['rage_click', T0 + 20, 'p1', '#buy'],
      ['error_loop', T0 + 40, 'p2', null],
    ]);
    expect((await friction.listBySession('s1'))[1]?.details).toEqual({ targetText: 'Buy' });
    expect(await friction.countsBySession('s1')).toEqual({ rage_click: 1, dead_click: 1, form_abandonment: 0, error_loop: 1 });
  });

  it('counts a site’s flags by type, page, target and time bucket', async () => {
    const { sites, friction } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    const other = await sites.create({ name: 'Other', origins: [] });
    await session(backend(), site.id, 's1');
    await session(backend(), site.id, 's2');
    await session(backend(), other.id, 's3');
    await friction.replaceForPage(site.id, 's1', 'p1', [flag('rage_click', T0, 'https://shop.example/cart?a', '#buy', { targetText: 'Buy' }), flag('rage_click', T0 + 5000, 'https://shop.example/cart', '#buy')]);
    await friction.replaceForPage(site.id, 's2', 'p1', [flag('rage_click', T0 + 1000, 'https://shop.example/cart', '#buy'), flag('dead_click', T0 + 12_000, 'https://shop.example/home', '#logo')]);
    await friction.replaceForPage(other.id, 's3', 'p1', [flag('rage_click', T0, 'https://other.example/', '#x')]);
    const to = T0 + 60_000;
    expect(await friction.countsByType(site.id, T0, to)).toEqual(expect.arrayContaining([{ type: 'rage_click', count: 3, sessions: 2 }, { type: 'dead_click', count: 1, sessions: 1 }]));
    expect(await friction.countsByType(site.id, T0, to)).toHaveLength(2);
    expect(await friction.countsByPage(site.id, T0, to, 10)).toEqual([
      { url: 'https://shop.example/cart', count: 3, sessions: 2, byType: { rage_click: 3, dead_click: 0, form_abandonment: 0, error_loop: 0 } },
      { url: 'https://shop.example/home', count: 1, sessions: 1, byType: { rage_click: 0, dead_click: 1, form_abandonment: 0, error_loop: 0 } },
    ]);
    expect((await friction.countsByTarget(site.id, T0, to, 1))).toEqual([{ type: 'rage_click', url: 'https://shop.example/cart', selector: '#buy', text: 'Buy', count: 3, sessions: 2 }]);
    const buckets = await friction.countsByBucket(site.id, T0, to, 10_000);
    expect([...buckets].sort((a, b) => a.bucket - b.bucket || a.type.localeCompare(b.type))).toEqual([
      { bucket: 0, type: 'rage_click', count: 3 },
      { bucket: 1, type: 'dead_click', count: 1 },
    ]);
  });

  it('keeps each batch’s signals; the timeline reads the kinds it lists, and counts batches not analysed yet', async () => {
    const { sites, pageSignals, sessionTimeline, chunks } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await session(backend(), site.id, 's1', ['p1', 'p2']);
    const view: PageSignal = { k: 'view', t: 1, url: 'https://shop.example/p1', title: 'P1', trigger: 'load' };
    const mutation: PageSignal = { k: 'mutation', t: 2, nodes: [1], structural: false, size: 1 };
    for (const seq of [0, 1, 2, 3]) {
      await chunks.insert({ sessionId: 's1', seq, pageId: seq < 2 ? 'p1' : 'p2', firstTs: T0, lastTs: T0, eventCount: 1, body: Buffer.from([1]), receivedAt: T0 });
    }
    await pageSignals.put({ sessionId: 's1', seq: 0, pageId: 'p1', signals: [view, mutation], analyzedAt: T0 });
    await pageSignals.put({ sessionId: 's1', seq: 1, pageId: 'p1', signals: [mutation, { k: 'end', t: 3 }], analyzedAt: T0 });
    await pageSignals.put({ sessionId: 's1', seq: 2, pageId: 'p2', signals: [{ ...view, t: 4, url: 'https://shop.example/p2' }], analyzedAt: T0 });
    await pageSignals.recordSkipped('s1', 3, 'unreadable', T0);
    expect(await pageSignals.listByPage('s1', 'p1')).toEqual([view, mutation, mutation, { k: 'end', t: 3 }]);
    expect(await pageSignals.state('s1', 'p1')).toEqual({
      siteId: site.id,
      url: 'https://shop.example/p1',
      finalSeq: null,
      completedAt: null,
      minSeq: 0,
      maxSeq: 1,
      batches: 2,
      judgedThrough: null,
      lastActiveAt: null,
      judgedBatches: null,
    });
    // A live judgement that first judged seq 1: seq 0 keeps the time its own judgement gave it.
    await pageSignals.markDetected('s1', 'p1', { at: T0 + 5, complete: false, seqs: [1], reach: { judgedThrough: 2, lastActiveAt: 1 }, batches: 2 });
    expect(await pageSignals.state('s1', 'p1')).toMatchObject({ completedAt: null, judgedThrough: 2, lastActiveAt: 1, judgedBatches: 2 });
    const analysedAt = () => backend().rows<{ seq: number; at: number }>('SELECT seq, analyzed_at AS at FROM page_signals WHERE session_id = ? ORDER BY seq', ['s1']);
    expect((await analysedAt()).map((row) => [row.seq, Number(row.at)])).toEqual([[0, T0], [1, T0 + 5], [2, T0]]);
    await pageSignals.markFinal('s1', 'p1', 1);
    await pageSignals.markDetected('s1', 'p1', { at: T0 + 9, complete: true, seqs: [], reach: { judgedThrough: 3, lastActiveAt: 3 }, batches: 2 });
    expect(await pageSignals.state('s1', 'p1')).toMatchObject({ finalSeq: 1, completedAt: T0 + 9, judgedThrough: 3, lastActiveAt: 3 });
    expect((await analysedAt()).map((row) => Number(row.at))).toEqual([T0, T0 + 5, T0]);
    // Completed once: a later run keeps the time it completed.
    await pageSignals.markDetected('s1', 'p1', { at: T0 + 20, complete: true, seqs: [0], reach: { judgedThrough: 3, lastActiveAt: 3 }, batches: 2 });
    expect(await pageSignals.state('s1', 'p1')).toMatchObject({ completedAt: T0 + 9 });
    expect(await pageSignals.skippedCount()).toBe(1);

    const rows = [...(await sessionTimeline.signals('s1'))];
    expect(rows.map((row) => [row.pageId, JSON.parse(row.json)])).toEqual([
      ['p1', view],
      ['p2', { ...view, t: 4, url: 'https://shop.example/p2' }],
    ]);
    expect(await sessionTimeline.pendingBatches('s1')).toBe(0);
    await chunks.insert({ sessionId: 's1', seq: 4, pageId: 'p2', firstTs: T0, lastTs: T0, eventCount: 1, body: Buffer.from([1]), receivedAt: T0 });
    expect(await sessionTimeline.pendingBatches('s1')).toBe(1);
  });

  it('deletes sessions with what hangs off them, and finds expired sessions and a user’s sessions', async () => {
    const { sites, sessions, pages, friction, deletion } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await session(backend(), site.id, 's1');
    await session(backend(), site.id, 's2');
    await session(backend(), site.id, 's3');
    await backend().exec('UPDATE sessions SET updated_at = ? WHERE id = ?', [T0 - 10, 's2']);
    await backend().exec('UPDATE sessions SET updated_at = ? WHERE id = ?', [T0 - 20, 's3']);
    await pages.setAnalysisFacts('s1', 'p1', 0, 'ann');
    await sessions.setAnalysis('s3', { friction: { rage_click: 0, dead_click: 0, form_abandonment: 0, error_loop: 0 }, frustrationScore: 0, errorCount: 0, userId: 'ann' });
    await friction.replaceForPage(site.id, 's1', 'p1', [flag('rage_click', T0, 'https://shop.example/', '#a')]);
    expect(await deletion.expiredSessionIds(site.id, T0, 10)).toEqual(['s3', 's2']);
    expect([...(await deletion.userSessionIds(site.id, 'ann', 10))].sort()).toEqual(['s1', 's3']);
    expect(await deletion.deleteSessions(['s1', 's2', 'nope'])).toBe(2);
    expect(await deletion.deleteSessions([])).toBe(0);
    expect(await sessions.get('s1')).toBeUndefined();
    expect(await pages.listBySession('s1')).toEqual([]);
    expect(await friction.listBySession('s1')).toEqual([]);
    expect(await backend().rows('SELECT * FROM friction')).toEqual([]);
    expect(await deletion.pruneHeatmapPages()).toBe(0);
  });
});
