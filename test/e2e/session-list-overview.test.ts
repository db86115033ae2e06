// End to end: visits to the demo shop become filtered session lists and a friction overview in the viewer, in real Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionList, SessionSummary, SiteList } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';

/** Set SCREENSHOT_DIR to keep a picture of each view at each width, for a person to look at. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

describe('session list and friction overview', () => {
  let frictionlens: RunningFrictionlens;
  let browser: Browser;
  let siteId: string;
  let sessions: SessionSummary[];

  /** One visit in its own browser context, left the way a visitor leaves (the page unloads). */
  async function visit(steps: (page: Page) => Promise<void>, options: Parameters<Browser['newContext']>[0] = {}): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    await steps(page);
    await page.goto('about:blank');
    await context.close();
  }

  async function signedIn(width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${frictionlens.origin}/#token=${frictionlens.adminToken}`);
    await page.waitForSelector('nav[aria-label="Main"]');
    return { context, page };
  }

  beforeAll(async () => {
    // A short idle timeout lets the analysis pass judge each page soon after the visit ends.
    frictionlens = await startFrictionlens({ SESSION_IDLE_TIMEOUT_MS: '1000' });
    browser = await launchChromium();

    // Starts typing a sign-up and leaves: form abandonment.
    await visit(async (page) => {
      await page.goto(`${frictionlens.origin}/demo/signup.html`);
      await page.fill('#name', 'Ada');
      await page.fill('#email', 'ada@example');
    });
    // Presses the shop's heading again and again, which does nothing: a rage click.
    await visit(async (page) => {
      await page.goto(`${frictionlens.origin}/demo/`);
      const heading = (await page.locator('#page-title').boundingBox())!;
      for (let i = 0; i < 6; i++) await page.mouse.click(heading.x + 10, heading.y + 5);
      // The visitor stares at the page a moment: part of the visit, so the detector sees the presses go unanswered.
      await page.waitForTimeout(2500);
    });
    // Browses calmly on a phone.
    await visit(
      async (page) => {
        await page.goto(`${frictionlens.origin}/demo/`);
        await page.click('[data-testid="nav-signup"]');
        await page.waitForSelector('#signup-form');
      },
      { userAgent: PHONE_UA, viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true },
    );

    const { sites } = await frictionlens.api<SiteList>('/api/sites');
    siteId = sites.find((site) => site.name === 'demo')!.id;
    const analysed = await waitFor(
      () => frictionlens.api<SessionList>(`/api/sessions?site=${siteId}`),
      ({ sessions: listed }) => listed.length === 3 && listed.filter((s) => s.frustrationScore > 0).length === 2,
      30_000,
    );
    sessions = analysed.sessions;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await frictionlens?.stop();
  });

  it('filters the list to abandoned forms with the controls, keeps the filter over a reload, and opens the replay just before the friction', async () => {
    const { context, page } = await signedIn(1280);
    await page.waitForSelector('.session-row');
    expect(await page.locator('.session-row').count()).toBe(3);
    await screenshot(page, 'sessions-1280');

    // Keyboard only: focus the friction type's checkbox and press Space.
    await page.getByRole('checkbox', { name: 'Abandoned forms' }).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => location.hash.includes('friction=form_abandonment'));
    await expect.poll(() => page.locator('.session-row').count()).toBe(1);

    await page.reload();
    await page.waitForSelector('.session-row');
    expect(await page.getByRole('checkbox', { name: 'Abandoned forms' }).isChecked()).toBe(true);
    expect(await page.locator('.session-row').count()).toBe(1);
    expect(new URL(page.url()).hash).toBe(`#/?site=${siteId}&friction=form_abandonment`);
    await screenshot(page, 'sessions-filtered-1280');

    const abandoned = sessions.find((s) => s.friction.form_abandonment > 0)!;
    const expectedAt = Math.max(0, abandoned.firstFrictionAt.form_abandonment! - abandoned.startedAt - 3000);
    await page.locator('.session-row a.open').click();
    await page.waitForFunction((id) => location.hash.startsWith(`#/sessions/${id}`), abandoned.id);
    expect(new URL(page.url()).hash).toBe(`#/sessions/${abandoned.id}?t=${expectedAt}`);
    await page.waitForSelector('.player iframe', { state: 'attached' });

    // Opening it marked it watched on the server, and the list shows the mark.
    await waitFor(() => frictionlens.api<SessionSummary>(`/api/sessions/${abandoned.id}`), (s) => s.watchedAt !== null);
    await page.goBack();
    await page.waitForSelector('.session-row');
    expect(await page.locator('.session-row a.open').textContent()).toContain(', watched');
    await context.close();
  }, 60_000);

  it('shows the overview with its chart, and opens a page heatmap from it', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${frictionlens.origin}/#/overview?site=${siteId}`);
    await page.waitForSelector('ul[aria-label="Friction by type"]');
    expect(await page.locator('ul[aria-label="Friction by type"] li').allTextContents()).toEqual([
      expect.stringMatching(/Rage clicks\s*1\s*in 1 session/),
      expect.stringMatching(/Dead clicks\s*0/),
      expect.stringMatching(/Abandoned forms\s*1\s*in 1 session/),
      expect.stringMatching(/Error loops\s*0/),
    ]);
    // uPlot drew into a canvas.
    await page.waitForSelector('figure .plot canvas');
    await screenshot(page, 'overview-1280');

    const signupRow = page.locator('section[aria-labelledby="top-pages"] tr', { hasText: '/demo/signup.html' });
    await signupRow.getByRole('link', { name: /^Heatmap/ }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/heatmap'));
    const heatmap = new URL(new URL(page.url()).hash.slice(1), 'http://x');
    expect(Object.fromEntries(heatmap.searchParams)).toEqual({
      site: siteId,
      url: `${frictionlens.origin}/demo/signup.html`,
      device: 'desktop',
      kind: 'all',
    });
    expect(await page.getByRole('heading', { name: "This page doesn't exist" }).count()).toBe(0);
    await context.close();
  }, 60_000);

  it('fits a phone screen: the list and the overview at 390 px', async () => {
    const { context, page } = await signedIn(390);
    await page.goto(`${frictionlens.origin}/#/?site=${siteId}`);
    await page.waitForSelector('.session-row');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await screenshot(page, 'sessions-390');
    expect(await overflow()).toBe(0);

    await page.goto(`${frictionlens.origin}/#/overview?site=${siteId}`);
    await page.waitForSelector('figure .plot canvas');
    await screenshot(page, 'overview-390');
    expect(await overflow()).toBe(0);
    await context.close();
  }, 60_000);
});
