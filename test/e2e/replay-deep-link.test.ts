// End to end: a replay link into the middle of a long session opens on the right page at the right moment, from the last snapshot before it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite, SessionBatchList } from '../../server/src/api-types';
import { readBatchFrames } from '../../viewer/src/lib/batch-frames';
import { launchChromium } from '../support/launch-chromium';
import { signInViewer } from '../support/sign-in-viewer';
import { startFrictionlens, type RunningFrictionlens } from '../support/start-frictionlens';
import { changeIndexAt, ingestBodies, sessionBodies, statusText, type SyntheticPage } from '../support/synthetic-session';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE_MS = 60_000;
const SESSION = 'deep-link-session-01';
/** Two page loads of a live price list, 4 minutes each, a minute apart: about 13,700 events in about 100 batches. */
const PAGES: SyntheticPage[] = [
  { pageId: 'page-prices-0001', url: 'https://shop.example/prices', title: 'Prices', startTs: T0, durationMs: 4 * MINUTE_MS },
  { pageId: 'page-orders-0001', url: 'https://shop.example/orders', title: 'Orders', startTs: T0 + 5 * MINUTE_MS, durationMs: 4 * MINUTE_MS },
];
const LONG_SESSION = 'deep-link-session-02';
/** One page load of 12 minutes that takes a full snapshot every 3 minutes, as rrweb's checkoutEveryNms does: about 20,600 events. */
const LONG_PAGE: SyntheticPage = {
  pageId: 'page-ticker-0001',
  url: 'https://shop.example/ticker',
  title: 'Ticker',
  startTs: T0,
  durationMs: 12 * MINUTE_MS,
  checkoutEveryMs: 3 * MINUTE_MS,
};
const timelinePages = 'section[aria-labelledby="timeline-heading"] ol > li > button:has-text("Opened")';

/** The replay iframe's heading and status line, once the status line reads `status`. */
async function shownAt(viewer: Page, status: string): Promise<{ title: string; status: string }> {
  const handle = await viewer.waitForFunction(
    (expected) => {
      const doc = document.querySelector<HTMLIFrameElement>('.player iframe')?.contentDocument;
      const shown = doc?.getElementById('status')?.textContent;
      return shown === expected ? { title: doc!.querySelector('h1')?.textContent ?? '', status: shown } : null;
    },
    status,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as { title: string; status: string };
}

describe('replay links into a long session', () => {
  let frictionlens: RunningFrictionlens;
  let browser: Browser;
  let viewer: Page;

  beforeAll(async () => {
    const bodies = [...sessionBodies(SESSION, PAGES), ...sessionBodies(LONG_SESSION, [LONG_PAGE])];
    frictionlens = await startFrictionlens();
    const site = await frictionlens.api<CreatedSite>('/api/sites', {
      method: 'POST',
      body: JSON.stringify({ name: 'Shop', origins: ['https://shop.example'] }),
    });
    await ingestBodies(frictionlens.origin, site.key, bodies);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    viewer = await context.newPage();
    await signInViewer(viewer, frictionlens.origin, frictionlens.adminToken);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await frictionlens?.stop();
  });

  it("opens the second page at the linked moment, asking first only for that page's batches up to it", async () => {
    const { batches } = await frictionlens.api<SessionBatchList>(`/api/sessions/${SESSION}/batches`);
    expect(new Set(batches.map((b) => b.pageId)).size).toBe(2);
    const data: string[] = [];
    viewer.on('request', (request) => {
      if (request.url().includes('/batches/data')) data.push(new URL(request.url()).search);
    });

    // 1:40 into the second page, which began 5:00 into the session; not on a change's exact time.
    const atMs = 5 * MINUTE_MS + 100_017;
    await viewer.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${atMs}`);
    const shown = await shownAt(viewer, statusText(changeIndexAt(PAGES[1]!, T0 + atMs)));
    expect(shown.title).toBe('Orders');

    // The page load's first batch holds its snapshot: the replay starts there, and the first page comes last.
    const needed = batches.filter((b) => b.firstTs <= T0 + atMs).at(-1)!.seq;
    const pageStart = batches.find((b) => b.pageId === PAGES[1]!.pageId)!;
    expect(pageStart.snapshotTs).not.toBeNull();
    // Asked for by the moment, alongside the batch list; the server picks the same batches.
    expect(data[0]).toBe(`?at=${atMs}`);
    const moment = await fetch(`${frictionlens.origin}/api/sessions/${SESSION}/batches/data?at=${atMs}`, {
      headers: { authorization: `Bearer ${frictionlens.adminToken}` },
    });
    const seqs = readBatchFrames(await moment.arrayBuffer()).map((frame) => frame.seq);
    expect(seqs).toEqual(batches.filter((b) => b.seq >= pageStart.seq && b.seq <= needed).map((b) => b.seq));
    // The rest arrives behind the first frame; then the progress note goes and both pages are listed.
    await viewer.waitForFunction(() => !document.body.textContent?.includes('Loading the rest of the recording'));
    expect(data[1]).toBe(`?from=${needed + 1}&to=${batches.at(-1)!.seq}`);
    expect(data[2]).toBe(`?from=0&to=${pageStart.seq - 1}`);
    await expect.poll(() => viewer.locator(timelinePages).count(), { timeout: 30_000 }).toBe(2);
    // Filled in behind, the first page plays again when the link goes back to it.
    await viewer.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${MINUTE_MS + 5_017}`);
    expect((await shownAt(viewer, statusText(changeIndexAt(PAGES[0]!, T0 + MINUTE_MS + 5_017)))).title).toBe('Prices');
  }, 60_000);

  it('opened cold from a link, asks for the session, its batch list and each batch range once, the first before the viewer has checked the sign-in', async () => {
    const tab = await viewer.context().newPage();
    const asked: string[] = [];
    /** Requests and answers as the browser saw them, in order. */
    const seen: string[] = [];
    tab.on('request', (request) => {
      const { pathname, search } = new URL(request.url());
      if (pathname.startsWith('/api/')) asked.push(pathname + search);
      seen.push(`asked ${pathname}`);
    });
    tab.on('response', (response) => seen.push(`answered ${new URL(response.url()).pathname}`));
    const atMs = 5 * MINUTE_MS + 100_017;
    await tab.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${atMs}`);
    expect((await shownAt(tab, statusText(changeIndexAt(PAGES[1]!, T0 + atMs)))).title).toBe('Orders');
    await tab.waitForFunction(() => !document.body.textContent?.includes('Loading the rest of the recording'));
    const count = (path: string) => asked.filter((p) => p === path).length;
    expect(count(`/api/sessions/${SESSION}`)).toBe(1);
    expect(count(`/api/sessions/${SESSION}/batches`)).toBe(1);
    const data = asked.filter((p) => p.startsWith(`/api/sessions/${SESSION}/batches/data`));
    expect(data).toHaveLength(3);
    expect(new Set(data).size).toBe(3);
    // The replay's requests went out with the sign-in check, not after its answer.
    expect(seen.indexOf(`asked /api/sessions/${SESSION}/batches`)).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf(`asked /api/sessions/${SESSION}/batches`)).toBeLessThan(seen.indexOf('answered /api/auth/session'));
    expect(count('/api/auth/session')).toBe(1);
    await tab.close();
  }, 60_000);

  it('starts a long page from its last periodic snapshot before the moment, and seeks back once the start has loaded', async () => {
    const { batches } = await frictionlens.api<SessionBatchList>(`/api/sessions/${LONG_SESSION}/batches`);
    const data: string[] = [];
    viewer.on('request', (request) => {
      if (request.url().includes(`/${LONG_SESSION}/batches/data`)) data.push(new URL(request.url()).search);
    });
    // 10:00 and a little: the snapshot at 9:00 is the last before it.
    const atMs = 10 * MINUTE_MS + 17;
    await viewer.goto(`${frictionlens.origin}/#/sessions/${LONG_SESSION}?t=${atMs}`);
    await shownAt(viewer, statusText(changeIndexAt(LONG_PAGE, T0 + atMs)));
    const start = batches.filter((b) => b.snapshotTs !== null && b.snapshotTs <= T0 + atMs).at(-1)!;
    expect(start.snapshotTs! - T0).toBeGreaterThanOrEqual(9 * MINUTE_MS - 1000);
    expect(data[0]).toMatch(new RegExp(`^\\?from=${start.seq}&to=`));
    // The slider covers the whole session from its start, not from the snapshot.
    expect(await viewer.getAttribute('[aria-label="Replay position"]', 'aria-valuenow')).toBe(String(Math.round(atMs / 1000)));

    await viewer.waitForFunction(() => !document.body.textContent?.includes('Loading the rest of the recording'), null, { timeout: 60_000 });
    expect(data.at(-1)).toBe(`?from=0&to=${start.seq - 1}`);
    // Built again with the whole recording: the replay stayed at the moment, and going back shows minute 1.
    expect(await viewer.getAttribute('[aria-label="Replay position"]', 'aria-valuenow')).toBe(String(Math.round(atMs / 1000)));
    await viewer.focus('[aria-label="Replay position"]');
    await viewer.keyboard.press('Home');
    await viewer.keyboard.press('PageUp');
    await shownAt(viewer, statusText(changeIndexAt(LONG_PAGE, T0 + MINUTE_MS)));
  }, 120_000);

  it('opens at the start without a link time, and seeks within the first page when the link changes', async () => {
    await viewer.goto(`${frictionlens.origin}/#/sessions/${SESSION}`);
    expect((await shownAt(viewer, statusText(-1))).title).toBe('Prices');

    const atMs = 2 * MINUTE_MS + 30_017;
    await viewer.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${atMs}`);
    expect((await shownAt(viewer, statusText(changeIndexAt(PAGES[0]!, T0 + atMs)))).title).toBe('Prices');
  }, 60_000);
});
