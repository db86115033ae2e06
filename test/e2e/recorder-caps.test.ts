// End to end: a session the server refuses for good (a cap) is not sent again; the recorder stops recording it.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

const QUEUE_KEY_PREFIX = 'frictionlens.q.';

describe('recording stops for a session past a server cap', () => {
  let recorded: RecordedSite;

  beforeAll(async () => {
    // One new session per site per hour: the second session of the file is past the site's cap.
    recorded = await startRecordedSite(undefined, { MAX_SESSIONS_PER_SITE_PER_HOUR: '1' });
  });
  afterAll(() => recorded?.close());

  const sessionIdOf = (page: Page) =>
    page.evaluate(() => (window as unknown as { frictionlens?: { getSessionId(): string | null } }).frictionlens?.getSessionId() ?? null);

  /** Opens the delivery fixture in a fresh profile through `proxy`; its session is the one of the first post that follows (the refusal may come before any read of getSessionId). */
  async function openTab(proxy: CountingProxy): Promise<{ context: BrowserContext; page: Page; sessionId: string; errors: string[] }> {
    recorded.tagAttributes = `data-endpoint="${proxy.origin}"`;
    const context = await recorded.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const known = proxy.posts.length;
    await page.goto(`${recorded.site.origin}/delivery.html`);
    const [first] = await waitFor(async () => proxy.posts.slice(known), (posts) => posts.length > 0);
    return { context, page, sessionId: first!.sessionId, errors };
  }

  /**
   * After the refusal of `sessionId`'s first post: clicks, a hidden tab, a reload and leaving the
   * page, each of which sends what is buffered in a recording session. Then the tab starts a new
   * session, whose first post arrives after anything the earlier pages posted as they went.
   */
  async function actAfterRefusal(page: Page, proxy: CountingProxy, sessionId: string): Promise<string> {
    await page.waitForFunction(() => (window as unknown as { frictionlens: { getSessionId(): string | null } }).frictionlens.getSessionId() === null);
    for (let k = 0; k < 3; k++) await page.click('#add');
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      delete (document as { visibilityState?: unknown }).visibilityState;
    });
    await page.reload();
    await page.waitForFunction(() => 'frictionlens' in window);
    expect(await sessionIdOf(page)).toBeNull(); // the next page load of the session records nothing either
    await page.click('#add');
    expect(await page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)), QUEUE_KEY_PREFIX)).toEqual([]);
    await page.goto('about:blank');
    // The control: a new session in the same tab posts as usual.
    await page.goto(`${recorded.site.origin}/delivery.html`);
    await page.evaluate(() => sessionStorage.clear());
    const known = proxy.posts.length;
    await page.reload();
    const [post] = await waitFor(async () => proxy.posts.slice(known).filter((p) => p.sessionId !== sessionId), (posts) => posts.length > 0);
    return post!.sessionId;
  }

  it('429 site_session_limit from the real server: the session gets one post, then nothing; others go on', async () => {
    const proxy = await startCountingProxy(recorded.frictionlens.origin);
    try {
      const first = await openTab(proxy);
      await waitFor(async () => proxy.of(first.sessionId), (posts) => posts.some((post) => post.status === 200));
      const second = await openTab(proxy);
      await waitFor(async () => proxy.of(second.sessionId), (posts) => posts.some((post) => post.status === 429));
      const next = await actAfterRefusal(second.page, proxy, second.sessionId);
      expect(proxy.of(second.sessionId).map((post) => [post.seq, post.status])).toEqual([[0, 429]]);
      // The site is still past its hourly cap.
      await waitFor(async () => proxy.of(next).map((post) => post.status), (statuses) => statuses[0] === 429);
      // The session admitted before the cap goes on being stored.
      await first.page.click('#add');
      await first.page.goto('about:blank');
      await waitFor(async () => proxy.of(first.sessionId), (posts) => posts.some((post) => post.final && post.status === 200));
      expect([first.errors, second.errors]).toEqual([[], []]);
      await first.context.close();
      await second.context.close();
    } finally {
      recorded.tagAttributes = '';
      await proxy.close();
    }
  }, 60_000);

  it('413 session_limit (a stub answering as the server does past a per-session cap): the session gets one post, then nothing', async () => {
    // The per-session caps (500,000 events, 100 MB, 1,000 page loads, 24 h) have no setting small enough to reach here.
    const proxy = await startCountingProxy((_req, res) => {
      res.writeHead(413, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
      res.end(JSON.stringify({ error: { code: 'session_limit', message: 'The session would hold more than 500000 events; this session stores nothing more' } }));
    });
    try {
      const tab = await openTab(proxy);
      await waitFor(async () => proxy.of(tab.sessionId), (posts) => posts.length > 0);
      const next = await actAfterRefusal(tab.page, proxy, tab.sessionId);
      expect(proxy.of(tab.sessionId).map((post) => [post.seq, post.status])).toEqual([[0, 413]]);
      expect(proxy.of(next).map((post) => post.seq)).toEqual([0]);
      expect(tab.errors).toEqual([]);
      await tab.context.close();
    } finally {
      recorded.tagAttributes = '';
      await proxy.close();
    }
  }, 60_000);
});
