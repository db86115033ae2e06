import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import type { PageSignal } from '../analysis/page-signals';

const view = (url: string): PageSignal => ({ k: 'view', t: 1, url, title: '', trigger: 'load' });

/** One session of `siteId` whose pages are given as lists of batches' signals. */
async function store(backend: TestBackend, siteId: string, id: string, pages: Array<{ url: string; batches: PageSignal[][] }>): Promise<void> {
  const { sessions, pages: pagesRepo, chunks, pageSignals } = backend.repos;
  await sessions.insert({ id, siteId, startedAt: 1, endedAt: 2, eventCount: 1, entryUrl: pages[0]!.url, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: 1 });
  let seq = 0;
  for (const [index, page] of pages.entries()) {
    const pageId = `${id}-p${index}`;
    await pagesRepo.insert({ sessionId: id, pageId, url: page.url, startedAt: 1 });
    for (const signals of page.batches) {
      await chunks.insert({ sessionId: id, seq, pageId, firstTs: 1, lastTs: 2, eventCount: 1, body: Buffer.from([0x1f, 0x8b]), receivedAt: 1 });
      await pageSignals.put({ sessionId: id, seq: seq++, pageId, signals, analyzedAt: 1 });
    }
  }
}

describeBothBackends('goal completions repository', (backend) => {
  it('batchesWithNeedles returns every batch of the pages holding all needles, of the site’s sessions in the slice only, in session and seq order', async () => {
    const { sites, conversions } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: ['https://shop.example'] });
    const other = await sites.create({ name: 'Other', origins: ['https://other.example'] });
    const thanks = 'https://shop.example/thanks.html';
    await store(backend(), site.id, 'session-a1', [
      { url: 'https://shop.example/cart.html', batches: [[view('https://shop.example/cart.html')]] },
      // The needle is in the URL of a page whose signals lack it, and the page has two batches.
      { url: thanks, batches: [[{ k: 'mutation', t: 2, nodes: [1], structural: false, size: 1 }], [{ k: 'end', t: 3 }]] },
    ]);
    await store(backend(), site.id, 'session-a2', [{ url: 'https://shop.example/x', batches: [[view(thanks)]] }]);
    await store(backend(), other.id, 'session-a3', [{ url: thanks, batches: [[view(thanks)]] }]);
    await store(backend(), site.id, 'session-a4', [{ url: thanks, batches: [[view(thanks)]] }]);
    const { completions } = conversions;
    const rows = await completions.batchesWithNeedles(site.id, '', 'session-a3', ['/thanks']);
    expect(rows.map((row) => [row.sessionId, row.pageId, JSON.parse(row.signals)[0].k])).toEqual([
      ['session-a1', 'session-a1-p1', 'mutation'],
      ['session-a1', 'session-a1-p1', 'end'],
      ['session-a2', 'session-a2-p0', 'view'],
    ]);
    // Both needles must be on the page; a needle written as compact JSON matches however the backend stores it.
    expect((await completions.batchesWithNeedles(site.id, '', 'session-z', ['/thanks', '"k":"end"'])).map((row) => row.pageId)).toEqual(['session-a1-p1', 'session-a1-p1']);
    expect((await completions.batchesWithNeedles(site.id, 'session-a2', 'session-z', ['/thanks'])).map((row) => row.sessionId)).toEqual(['session-a4']);
    // The signals come back as compact JSON, as the goal job searches them again.
    expect(rows[2]!.signals).toBe(JSON.stringify([view(thanks)]));
  });

  it('replaces completions per page and per slice of sessions; counts them per goal and the site’s sessions', async () => {
    const { sites, conversions } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await store(backend(), site.id, 's1', [{ url: 'https://shop.example/a', batches: [[view('https://shop.example/a')]] }]);
    await store(backend(), site.id, 's2', [{ url: 'https://shop.example/a', batches: [[view('https://shop.example/a')]] }]);
    const { goals, completions } = conversions;
    const goal = await goals.create(site.id, { name: 'A', kind: 'page', pattern: '/a' }, 1);
    await completions.replaceForPage('s1', 's1-p0', [{ goalId: goal.id, ts: 10.9 }]);
    await completions.replaceForSessions(goal.id, 's1', 's2', [{ goalId: goal.id, sessionId: 's2', pageId: 's2-p0', ts: 20 }]);
    expect(await completions.countForGoal(goal.id)).toBe(2);
    expect(await completions.sessionCount(site.id)).toBe(2);
    expect(await completions.sessionIdsAfter(site.id, 's1', 10)).toEqual(['s2']);
    await completions.replaceForPage('s1', 's1-p0', []);
    expect(await completions.countForGoal(goal.id)).toBe(1);
    await completions.clearGoal(goal.id);
    expect(await completions.countForGoal(goal.id)).toBe(0);
  });
});
