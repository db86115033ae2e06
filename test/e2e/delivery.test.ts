// End to end: what the recorder captures reaches the server exactly once through an offline spell, a reload, a server restart and a duplicated tab, counted both in what the server stored and in what the recorder posted.
import { gunzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../recorder/src/wire/format';
import type { SessionDetail } from '../../server/src/api-types';
import { databasePath } from '../../server/src/db/open-database';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { startHoldingProxy } from '../support/holding-proxy';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor, type RunningFrictionlens } from '../support/start-frictionlens';
import type { StaticServer } from '../support/static-server';

const QUEUE_KEY_PREFIX = 'frictionlens.q.';
/**
 * How long a delivery may take before the test calls it lost. On a quiet machine it takes about a
 * second; the wait is long because a CI machine running the whole suite can stall a tab for many
 * seconds, and a lost batch never arrives however long the test waits.
 */
const DELIVERY_WAIT_MS = 30_000;
/** Room for two or three such waits in one test. */
const TEST_TIMEOUT_MS = 90_000;

describe('delivery that loses nothing', () => {
  let recorded: RecordedSite;
  // Shorthands for the parts every test below uses.
  let frictionlens: RunningFrictionlens;
  let site: StaticServer;
  let browser: Browser;
  /** Between the recorder and the server: logs every batch posted and how the server answered. */
  let proxy: CountingProxy;
  const throughProxy = () => `data-endpoint="${proxy.origin}"`;

  beforeAll(async () => {
    recorded = await startRecordedSite();
    ({ frictionlens, site, browser } = recorded);
    proxy = await startCountingProxy(frictionlens.origin);
    recorded.tagAttributes = throughProxy();
  });
  afterAll(async () => {
    await proxy?.close();
    await recorded?.close();
  });

  interface Tab {
    context: BrowserContext;
    page: Page;
    sessionId: string;
    /** Ingest requests that failed at the network level (offline, connection refused). */
    failedPosts(): number;
    pageErrors: string[];
  }

  /**
   * A new browser profile (its own localStorage and sessionStorage) with the fixture page open and
   * recording; with `clock`, the page runs on Playwright's clock, which the test can stop.
   */
  async function openTab({ clock = false } = {}): Promise<Tab> {
    const context = await browser.newContext();
    let failed = 0;
    context.on('requestfailed', (request) => void (request.url().includes('/api/ingest') && failed++));
    const page = await context.newPage();
    if (clock) await page.clock.install();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${site.origin}/delivery.html`);
    const sessionId = await sessionIdOf(page);
    // The first batch (snapshot and page view) is stored before anything goes wrong.
    await waitFor(async () => storedSeqs(sessionId), (seqs) => seqs.length > 0);
    return { context, page, sessionId, failedPosts: () => failed, pageErrors };
  }

  async function sessionIdOf(page: Page): Promise<string> {
    const handle = await page.waitForFunction(() =>
      (window as unknown as { frictionlens?: { getSessionId(): string | null } }).frictionlens?.getSessionId(),
    );
    return (await handle.jsonValue()) as string;
  }

  /** Read straight from the server's SQLite file: (sessionId, seq) is its primary key, so each appears once. */
  function storedSeqs(sessionId: string): number[] {
    const db = new Database(databasePath(frictionlens.dataDir), { readonly: true, fileMustExist: true });
    try {
      return db.prepare<[string], number>('SELECT seq FROM chunks WHERE session_id = ? ORDER BY seq').pluck().all(sessionId);
    } finally {
      db.close();
    }
  }

  /** Each stored batch's page id and final flag, in seq order: the server keeps the gzip body as sent. */
  function storedFinals(sessionId: string): Array<[pageId: string, final: boolean]> {
    const db = new Database(databasePath(frictionlens.dataDir), { readonly: true, fileMustExist: true });
    try {
      const bodies = db.prepare<[string], Buffer>('SELECT body FROM chunks WHERE session_id = ? ORDER BY seq').pluck().all(sessionId);
      return bodies.map((body) => JSON.parse(gunzipSync(body).toString()) as IngestBatch).map((batch) => [batch.pageId, batch.final === true]);
    } finally {
      db.close();
    }
  }

  const eventsOf = (sessionId: string) => frictionlens.api<eventWithTime[]>(`/api/sessions/${sessionId}/events`);

  /** How often a list item's exact text was recorded (quoted, so "Item number 1" does not match "Item number 12"). */
  function occurrences(events: eventWithTime[], text: string): number {
    return JSON.stringify(events).split(JSON.stringify(text)).length - 1;
  }

  const items = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Item number ${from + i}`);
  const queuedInBrowser = (page: Page) =>
    page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length, QUEUE_KEY_PREFIX);

  /** Every item exactly once, and seqs 0..n-1 with none missing. */
  async function expectDeliveredOnce(sessionId: string, expected: string[], timeoutMs: number): Promise<eventWithTime[]> {
    const events = await waitFor(
      () => eventsOf(sessionId),
      (stored) => expected.every((text) => occurrences(stored, text) > 0),
      timeoutMs,
    );
    expect(expected.map((text) => [text, occurrences(events, text)])).toEqual(expected.map((text) => [text, 1]));
    const seqs = storedSeqs(sessionId);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    return events;
  }

  /**
   * The server's primary key keeps a batch sent twice from being stored twice, so it cannot show
   * duplicates: count the recorder's own posts too. Each stored batch was answered "stored" (not
   * "duplicate") exactly once, no post was refused, at most `resent` posts were of a batch the server
   * already had, and each page load's final batch arrived, last of its page.
   */
  async function expectPostsAccountFor(sessionId: string, { pages, resent = 0 }: { pages: number; resent?: number }): Promise<void> {
    const storedNew = () => proxy.of(sessionId).filter((post) => post.status === 200 && !post.duplicate).map((post) => post.seq).sort((a, b) => a - b);
    // Waits for the answers still on their way (a keepalive post of a page that went).
    await waitFor(async () => [storedNew(), storedSeqs(sessionId)], ([acked, stored]) => JSON.stringify(acked) === JSON.stringify(stored), DELIVERY_WAIT_MS);
    const answered = proxy.of(sessionId).filter((post) => post.status !== 0);
    expect(answered.filter((post) => post.status !== 200).map((post) => `${post.seq}: ${post.status}`)).toEqual([]);
    expect(answered.filter((post) => post.duplicate).length).toBeLessThanOrEqual(resent);
    const finals = await waitFor(
      async () => storedFinals(sessionId),
      (stored) => new Set(stored.map(([pageId]) => pageId)).size === pages && stored.filter(([, final]) => final).length === pages,
      DELIVERY_WAIT_MS,
    );
    for (const pageId of new Set(finals.map(([id]) => id))) expect(finals.filter(([id]) => id === pageId).at(-1)).toEqual([pageId, true]);
  }

  async function leave(tab: Tab): Promise<void> {
    // Navigating away fires pagehide, which flushes the buffer with keepalive.
    await tab.page.goto('about:blank');
    await tab.context.close();
  }

  it('offline for 30 s, then back: every event arrives exactly once, no seq lost', async () => {
    const tab = await openTab({ clock: true });
    await tab.context.setOffline(true);
    for (let k = 1; k <= 10; k++) {
      await tab.page.click('#add');
      await tab.page.waitForTimeout(3000);
    }
    expect(tab.failedPosts()).toBeGreaterThan(0);
    expect(await queuedInBrowser(tab.page)).toBeGreaterThan(0); // kept in localStorage meanwhile
    // Stop the page's clock (a second ahead, still offline: the clock cannot be stopped in its past):
    // no flush and no backoff retry can fire now, so only the online event itself can send the queue
    // (it retries at once instead of waiting out a backoff of up to 30 s).
    await tab.page.clock.pauseAt(await tab.page.evaluate(() => Date.now() + 1000));
    const postsBefore = proxy.of(tab.sessionId).length;
    await tab.context.setOffline(false);
    await waitFor(() => queuedInBrowser(tab.page), (queued) => queued === 0, DELIVERY_WAIT_MS);
    expect(proxy.of(tab.sessionId).length).toBeGreaterThan(postsBefore);
    // Time goes on: what was still in the buffer (the last presses) follows with the next flush.
    await tab.page.clock.resume();
    await expectDeliveredOnce(tab.sessionId, items(1, 10), 35_000);
    await waitFor(() => queuedInBrowser(tab.page), (queued) => queued === 0);
    expect(tab.pageErrors).toEqual([]);
    await leave(tab);
    await expectPostsAccountFor(tab.sessionId, { pages: 1 });
  }, 90_000);

  it('a reload mid-session keeps the session and loses nothing, including what was buffered at pagehide', async () => {
    const tab = await openTab();
    for (let k = 1; k <= 5; k++) await tab.page.click('#add');
    // Straight away: those clicks are still in the buffer when the page goes.
    await tab.page.reload();
    expect(await sessionIdOf(tab.page)).toBe(tab.sessionId);
    for (let k = 6; k <= 10; k++) await tab.page.click('#add');
    await leave(tab);
    await expectDeliveredOnce(tab.sessionId, items(1, 10), DELIVERY_WAIT_MS);
    await expectPostsAccountFor(tab.sessionId, { pages: 2 });
    const detail = await frictionlens.api<SessionDetail>(`/api/sessions/${tab.sessionId}`);
    expect(detail.pages.map((p) => new URL(p.url).pathname)).toEqual(['/delivery.html', '/delivery.html']);
    // Each page load's last batch, and only that one, says it is the page's final batch.
    const finals = storedFinals(tab.sessionId);
    const pageIds = [...new Set(finals.map(([pageId]) => pageId))];
    expect(pageIds).toHaveLength(2);
    for (const pageId of pageIds) {
      const ofPage = finals.filter(([id]) => id === pageId).map(([, final]) => final);
      expect(ofPage.at(-1)).toBe(true);
      expect(ofPage.slice(0, -1)).not.toContain(true);
    }
  }, TEST_TIMEOUT_MS);

  it('leaving while a batch is still being posted: it goes again with keepalive and is stored once', async () => {
    // Between the page and the server, a proxy that can leave one request hanging, as a slow network would.
    const holding = await startHoldingProxy(proxy.origin);
    recorded.tagAttributes = `data-endpoint="${holding.origin}"`;
    try {
      const tab = await openTab();
      holding.holdNext();
      for (let k = 1; k <= 3; k++) await tab.page.click('#add');
      await waitFor(async () => holding.held(), (held) => held === 1, 10_000); // the 5 s flush of those clicks
      await tab.page.goto('about:blank');
      await expectDeliveredOnce(tab.sessionId, items(1, 3), DELIVERY_WAIT_MS);
      expect(tab.pageErrors).toEqual([]);
      await tab.context.close();
      // The held post may still reach the server after its keepalive copy: then it is answered "duplicate".
      await expectPostsAccountFor(tab.sessionId, { pages: 1, resent: 1 });
    } finally {
      recorded.tagAttributes = throughProxy();
      await holding.close();
    }
  }, TEST_TIMEOUT_MS);

  it('server down for 20 s, restarted on the same port and data: batches are retried and delivered once', async () => {
    const tab = await openTab();
    await frictionlens.kill();
    for (let k = 1; k <= 5; k++) {
      await tab.page.click('#add');
      await tab.page.waitForTimeout(4000);
    }
    expect(tab.failedPosts()).toBeGreaterThan(0);
    expect(await queuedInBrowser(tab.page)).toBeGreaterThan(0);
    await frictionlens.relaunch();
    // Backoff caps at 30 s, so the retry after a 20 s outage lands within about that.
    await expectDeliveredOnce(tab.sessionId, items(1, 5), 45_000);
    await waitFor(() => queuedInBrowser(tab.page), (queued) => queued === 0);
    expect(tab.pageErrors).toEqual([]);
    await leave(tab);
    await expectPostsAccountFor(tab.sessionId, { pages: 1 });
  }, 90_000);

  it('a duplicated tab (sessionStorage copied while recording) gets its own session; neither tab loses a batch', async () => {
    const tab = await openTab();
    for (let k = 1; k <= 2; k++) await tab.page.click('#add');
    // window.open copies sessionStorage as Chrome's "Duplicate tab" does.
    const [copy] = await Promise.all([tab.context.waitForEvent('page'), tab.page.evaluate(() => void window.open(location.href))]);
    const copyId = await sessionIdOf(copy);
    expect(copyId).not.toBe(tab.sessionId);
    for (let k = 3; k <= 4; k++) await copy.click('#add'); // the copy counts on from the copied 2
    await tab.page.click('#add'); // the original's own third item
    await copy.goto('about:blank');
    await leave(tab);
    await expectDeliveredOnce(tab.sessionId, items(1, 3), DELIVERY_WAIT_MS);
    const copyEvents = await expectDeliveredOnce(copyId, items(3, 4), DELIVERY_WAIT_MS);
    expect(occurrences(copyEvents, 'Item number 1')).toBe(0);
    expect(storedSeqs(copyId)[0]).toBe(0);
    await expectPostsAccountFor(tab.sessionId, { pages: 1 });
    await expectPostsAccountFor(copyId, { pages: 1 });
  }, TEST_TIMEOUT_MS);
});
