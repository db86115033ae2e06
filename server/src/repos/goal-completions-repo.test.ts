import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { createTestApp, type TestApp } from '../testing/test-app';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const view = (url: string): PageSignal => ({ k: 'view', t: 1, url, title: '', trigger: 'load' });

/** One session of `siteId` whose pages are given as lists of batches' signals. */
function store(siteId: string, id: string, pages: Array<{ url: string; batches: PageSignal[][] }>): void {
  const { sessions, pages: pagesRepo, chunks, pageSignals } = t.repos;
  sessions.insert({ id, siteId, startedAt: 1, endedAt: 2, eventCount: 1, entryUrl: pages[0]!.url, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: 1 });
  let seq = 0;
  pages.forEach((page, index) => {
    const pageId = `${id}-p${index}`;
    pagesRepo.insert({ sessionId: id, pageId, url: page.url, startedAt: 1 });
    for (const signals of page.batches) {
      chunks.insert({ sessionId: id, seq, pageId, firstTs: 1, lastTs: 2, eventCount: 1, body: Buffer.from([0x1f, 0x8b]), receivedAt: 1 });
      pageSignals.put({ sessionId: id, seq: seq++, pageId, signals, analyzedAt: 1 });
    }
  });
}

describe('goal completions repository: batchesWithNeedles', () => {
  it('returns every batch of the pages holding all needles, of the site’s sessions in the slice only, in session and seq order', () => {
    const other = t.repos.sites.create({ name: 'Other', origins: ['https://other.example'] });
    const thanks = 'https://shop.example/thanks.html';
    store(t.site.id, 'session-a1', [
      { url: 'https://shop.example/cart.html', batches: [[view('https://shop.example/cart.html')]] },
      // The needle is in the URL of a page whose signals lack it, and the page has two batches.
      { url: thanks, batches: [[{ k: 'mutation', t: 2, nodes: [1], structural: false, size: 1 }], [{ k: 'end', t: 3 }]] },
    ]);
    store(t.site.id, 'session-a2', [{ url: 'https://shop.example/x', batches: [[view(thanks)]] }]);
    store(other.id, 'session-a3', [{ url: thanks, batches: [[view(thanks)]] }]);
    store(t.site.id, 'session-a4', [{ url: thanks, batches: [[view(thanks)]] }]);
    const { completions } = t.repos.conversions;
    const rows = completions.batchesWithNeedles(t.site.id, '', 'session-a3', ['/thanks']);
    expect(rows.map((row) => [row.sessionId, row.pageId, JSON.parse(row.signals)[0].k])).toEqual([
      ['session-a1', 'session-a1-p1', 'mutation'],
      ['session-a1', 'session-a1-p1', 'end'],
      ['session-a2', 'session-a2-p0', 'view'],
    ]);
    // Both needles must be on the page.
    expect(completions.batchesWithNeedles(t.site.id, '', 'session-z', ['/thanks', '"k":"end"']).map((row) => row.pageId)).toEqual(['session-a1-p1', 'session-a1-p1']);
    expect(completions.batchesWithNeedles(t.site.id, 'session-a2', 'session-z', ['/thanks']).map((row) => row.sessionId)).toEqual(['session-a4']);
  });
});
