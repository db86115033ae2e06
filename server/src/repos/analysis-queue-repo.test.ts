import { expect, it } from 'vitest';
import { describeBothBackends } from '../../../test/support/both-backends';

const T0 = 1_700_000_000_000;

describeBothBackends('analysis queue repository', (backend) => {
  it('queues each batch once, claims the oldest with a lease, gives back and completes', async () => {
    const { sites, sessions, pages, chunks, analysisQueue } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    const other = await sites.create({ name: 'Other', origins: [] });
    for (const [siteId, id] of [[site.id, 's1'], [other.id, 's2']] as const) {
      await sessions.insert({ id, siteId, startedAt: T0, endedAt: T0, eventCount: 1, entryUrl: 'https://shop.example/', userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: T0 });
      await pages.insert({ sessionId: id, pageId: 'p1', url: 'https://shop.example/', startedAt: T0 });
    }
    for (const [id, seq] of [['s1', 0], ['s1', 1], ['s2', 0]] as const) {
      await chunks.insert({ sessionId: id, seq, pageId: 'p1', firstTs: T0, lastTs: T0, eventCount: 1, body: Buffer.from([1]), receivedAt: T0 });
    }
    await analysisQueue.enqueue('s1', 0, T0);
    await analysisQueue.enqueue('s1', 0, T0 + 1);
    await analysisQueue.enqueue('s1', 1, T0 + 2);
    await analysisQueue.enqueue('s2', 0, T0 + 3);
    expect(await analysisQueue.depth()).toBe(3);
    expect(await analysisQueue.depthForSite(site.id)).toBe(2);
    expect(await analysisQueue.hasPending('s2')).toBe(true);

    const first = await analysisQueue.claim(2, T0 + 10, 1000);
    expect(first.map(({ sessionId, seq, enqueuedAt, attempts }) => [sessionId, seq, enqueuedAt, attempts])).toEqual([['s1', 0, T0, 1], ['s1', 1, T0 + 2, 1]]);
    // Leased: the next claim gets the rest only.
    expect((await analysisQueue.claim(5, T0 + 20, 1000)).map((row) => row.sessionId)).toEqual(['s2']);
    await analysisQueue.release([first[1]!.id]);
    const again = await analysisQueue.claim(5, T0 + 30, 1000);
    expect(again.map((row) => [row.seq, row.attempts])).toEqual([[1, 1]]);
    await analysisQueue.complete([first[0]!.id, again[0]!.id]);
    expect(await analysisQueue.depthForSite(site.id)).toBe(0);
    expect(await analysisQueue.hasPending('s1')).toBe(false);

    // Redetect queues every stored batch of the site again; s2's is still queued.
    expect(await analysisQueue.enqueueStored(site.id, T0 + 40)).toBe(2);
    expect(await analysisQueue.enqueueStored(undefined, T0 + 50)).toBe(0);
  });
});
