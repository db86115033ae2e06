// End to end: the player's friction markers, side panel, shortcuts, help overlay, way back to the list and accessibility, in real Chromium.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite, SessionBatchList, SessionTimeline, TimelineEntry } from '../../server/src/api-types';
import { formatOffset } from '../../viewer/src/lib/format';
import { frictionSessionBodies, MOMENTS, statusAt } from '../support/friction-session';
import { launchChromium } from '../support/launch-chromium';
import { signInViewer } from '../support/sign-in-viewer';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';
import { ingestBodies } from '../support/synthetic-session';

/** Set SCREENSHOT_DIR to keep a picture of the player at each width, for a person to look at. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const SESSION = 'player-session-0001';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core itself, evaluated in the page (not a script tag: the viewer's CSP refuses inline scripts,
 * and the test must not weaken it); the serious and critical violations it finds.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

describe('replay player', () => {
  let frictionlens: RunningFrictionlens;
  let browser: Browser;
  let timeline: SessionTimeline;
  let startTs: number;
  let durationMs: number;
  let siteId: string;

  const offsetOf = (entry: TimelineEntry) => entry.ts - startTs;
  const frictionOffsets = () => timeline.entries.filter((e) => e.kind === 'friction').map(offsetOf);

  async function signedIn(width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInViewer(page, frictionlens.origin, frictionlens.adminToken);
    return { context, page };
  }

  /** The replay frame's status line. */
  const shownStatus = (page: Page) =>
    page.evaluate(() => document.querySelector<HTMLIFrameElement>('.player iframe')?.contentDocument?.getElementById('status')?.textContent ?? null);
  const sliderSeconds = async (page: Page) => Number(await page.getAttribute('[role=slider][aria-label="Replay position"]', 'aria-valuenow'));

  beforeAll(async () => {
    frictionlens = await startFrictionlens();
    const site = await frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Shop', origins: ['https://shop.example'] }) });
    siteId = site.id;
    await ingestBodies(frictionlens.origin, site.key, frictionSessionBodies(SESSION, T0));
    // The server's analysis pass reads the batches and judges the page once its final batch is in.
    timeline = await waitFor(
      () => frictionlens.api<SessionTimeline>(`/api/sessions/${SESSION}/timeline`),
      (t) => t.pendingBatches === 0 && t.entries.some((e) => e.kind === 'friction'),
      30_000,
    );
    const { batches } = await frictionlens.api<SessionBatchList>(`/api/sessions/${SESSION}/batches`);
    startTs = Math.min(...batches.map((b) => b.firstTs));
    durationMs = Math.max(...batches.map((b) => b.lastTs)) - startTs;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await frictionlens?.stop();
  });

  it('marks every friction flag and error where it happened, and lists the timeline beside the replay', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${frictionlens.origin}/#/sessions/${SESSION}`);
    await page.waitForSelector('.player iframe', { state: 'attached' });
    await page.waitForSelector('section[aria-labelledby="timeline-heading"] ol button');

    const marked = timeline.entries.filter((e) => e.kind === 'friction' || e.kind === 'error');
    expect(marked.filter((e) => e.kind === 'error')).toHaveLength(4);
    const markers = await page.$$eval('[aria-label="Replay position"] .marker', (nodes) => nodes.map((n) => parseFloat((n as HTMLElement).style.left)));
    expect(markers).toHaveLength(marked.length);
    markers.forEach((left, i) => expect(left).toBeCloseTo((offsetOf(marked[i]!) / durationMs) * 100, 1));

    // The side panel: every entry in time order, friction with its reason.
    const rows = page.locator('section[aria-labelledby="timeline-heading"] ol > li > button');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(timeline.entries.length);
    const flag = timeline.entries.find((e) => e.kind === 'friction')!;
    expect(flag.kind === 'friction' && (await rows.nth(timeline.entries.indexOf(flag)).textContent())).toContain(flag.kind === 'friction' ? flag.reason : '');
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Clicked “Buy now”'), expect.stringContaining('POST /api/cart failed')]));
    await screenshot(page, 'player-1280');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('jumps to a chosen entry and highlights the entry the replay has reached', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${frictionlens.origin}/#/sessions/${SESSION}`);
    await page.waitForSelector('.player iframe', { state: 'attached' });
    const error = page.locator('section[aria-labelledby="timeline-heading"] ol > li > button', { hasText: 'Error: TypeError: price is undefined' }).first();
    await error.click();
    await expect.poll(() => sliderSeconds(page)).toBe(MOMENTS.errorsFrom / 1000);
    expect(await error.getAttribute('aria-current')).toBe('true');
    // rrweb shows the page as it stood at that moment: the second before the status ticked, or the tick itself.
    await expect.poll(() => shownStatus(page)).toMatch(new RegExp(`^(${statusAt(14)}|${statusAt(15)})$`));
    expect(await page.getAttribute('[aria-label="Replay position"]', 'aria-valuetext')).toBe(`0:15 of ${formatOffset(durationMs)}`);
    await context.close();
  }, 60_000);

  it('works from the keyboard: play and pause, 5 s steps, next and previous friction, the help overlay on ?', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${MOMENTS.failedRequest}`);
    await page.waitForSelector('.player iframe', { state: 'attached' });
    await expect.poll(() => sliderSeconds(page)).toBe(20);
    await page.locator('body').click({ position: { x: 5, y: 5 } });

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => sliderSeconds(page)).toBe(25);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => sliderSeconds(page)).toBe(15);

    // Previous and next friction, by the flags the server raised.
    const flags = frictionOffsets();
    const valueText = () => page.getAttribute('[aria-label="Replay position"]', 'aria-valuetext');
    const before = flags.filter((ms) => ms < 15_000 - 1000).at(-1)!;
    await page.keyboard.press('p');
    await expect.poll(valueText).toBe(`${formatOffset(before)} of ${formatOffset(durationMs)}`);
    const after = flags.find((ms) => ms > before)!;
    await page.keyboard.press('n');
    await expect.poll(valueText).toBe(`${formatOffset(after)} of ${formatOffset(durationMs)}`);
    if (flags.every((ms) => ms <= after)) {
      await page.keyboard.press('n');
      await page.getByRole('status').filter({ hasText: 'No friction after this moment.' }).waitFor();
    }

    await page.keyboard.press('k');
    await page.waitForSelector('button[aria-label="Pause"]');
    await page.keyboard.press(' ');
    await page.waitForSelector('button[aria-label="Play"]');

    // The slider itself, reached with Tab, takes the arrow keys too.
    await page.focus('[aria-label="Replay position"]');
    const atSlider = await sliderSeconds(page);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => sliderSeconds(page)).toBe(atSlider + 5);

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Next friction');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Replay position');
    await context.close();
  }, 90_000);

  it('goes back to the session list with its filters', async () => {
    const { context, page } = await signedIn(1280);
    const list = `#/?site=${siteId}&sort=longest&device=desktop`;
    await page.goto(`${frictionlens.origin}/${list}`);
    await page.click('.session-row a.open');
    await page.waitForSelector('.player iframe', { state: 'attached' });
    await page.click('text=← All sessions');
    await page.waitForSelector('.session-row');
    expect(new URL(page.url()).hash).toBe(list);

    // Opened straight from a link, the way back is the last list shown.
    await page.goto(`${frictionlens.origin}/#/sessions/${SESSION}`);
    expect(await page.getAttribute('a:has-text("← All sessions")', 'href')).toBe(list);
    await context.close();
  }, 60_000);

  it('stacks the timeline under the replay at 390 px, with nothing serious for an accessibility checker', async () => {
    const { context, page } = await signedIn(390);
    await page.goto(`${frictionlens.origin}/#/sessions/${SESSION}?t=${MOMENTS.rageFrom}`);
    await page.waitForSelector('.player iframe', { state: 'attached' });
    await page.waitForSelector('section[aria-labelledby="timeline-heading"] ol button');
    const stage = await page.locator('[aria-label="Replay position"]').boundingBox();
    const panel = await page.locator('section[aria-labelledby="timeline-heading"]').boundingBox();
    expect(panel!.y).toBeGreaterThan(stage!.y);
    expect(panel!.width).toBeGreaterThan(300);
    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'player-390');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);
});
