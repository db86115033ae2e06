// End to end: a person signs in through the viewer's form, the browser holds only an HttpOnly cookie, deletes a session after confirming, and signing out ends the session for good.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite, SessionList, SiteList } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { startFrictionlens, type RunningFrictionlens } from '../support/start-frictionlens';
import { ingestBodies, sessionBodies, type SyntheticPage } from '../support/synthetic-session';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const COOKIE_NAME = 'frictionlens_session';
const KEPT = 'sign-in-kept-0001';
const DOOMED = 'sign-in-doomed-01';
const visit = (pageId: string, startTs: number): SyntheticPage => ({
  pageId,
  url: 'https://shop.example/basket',
  title: 'Basket',
  startTs,
  durationMs: 5_000,
});

/** axe-core's serious and critical findings, with axe evaluated in the page (the viewer's CSP refuses inline scripts). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as Array<{
    id: string;
    impact: string | null;
    nodes: Array<{ target: string[] }>;
  }>;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('signing in to the viewer and deleting from it', () => {
  let frictionlens: RunningFrictionlens;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let siteId: string;

  const listedIds = async () => (await frictionlens.api<SessionList>(`/api/sessions?site=${siteId}`)).sessions.map((s) => s.id);
  /** Any admin call made with just this cookie, as a copy of it would be used elsewhere. */
  const withCookie = (value: string) => fetch(`${frictionlens.origin}/api/sites`, { headers: { cookie: `${COOKIE_NAME}=${value}` } });

  beforeAll(async () => {
    frictionlens = await startFrictionlens();
    const site = await frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Shop', origins: ['https://shop.example'] }) });
    siteId = site.id;
    const now = Date.now();
    await ingestBodies(frictionlens.origin, site.key, [
      ...sessionBodies(KEPT, [visit('page-kept-00001', now - 120_000)]),
      ...sessionBodies(DOOMED, [visit('page-doomed-0001', now - 60_000)]),
    ]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await frictionlens?.stop();
  });

  it('signs in through the form; the page can read neither the token nor the cookie', async () => {
    // Signed out, a replay link asks for sign-in first (what it fetched ahead was refused), then plays.
    await page.goto(`${frictionlens.origin}/#/sessions/${KEPT}`);
    await page.getByLabel('Admin token').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That token was not accepted' }).waitFor();

    await page.getByLabel('Admin token').fill(frictionlens.adminToken);
    await page.keyboard.press('Enter');
    await page.locator('nav[aria-label="Main"]').waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLIFrameElement>('.player iframe')?.contentDocument?.getElementById('status')?.textContent);

    const stored = await page.evaluate(() => Object.entries(localStorage).concat(Object.entries(sessionStorage)));
    expect(JSON.stringify(stored)).not.toContain(frictionlens.adminToken);
    expect(await page.evaluate(() => document.cookie)).not.toContain(COOKIE_NAME);
    const cookies = (await context.cookies()).filter((c) => c.name === COOKIE_NAME);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api', secure: false });

    // A reload stays signed in: the viewer asks the server, the cookie answers.
    await page.reload();
    await page.locator('nav[aria-label="Main"]').waitFor();
  }, 60_000);

  it('deletes a session after confirming, returns to the list, and leaves the other session alone', async () => {
    expect((await listedIds()).sort()).toEqual([DOOMED, KEPT].sort());
    await page.goto(`${frictionlens.origin}/#/?site=${siteId}`);
    await page.locator('.session-row').nth(1).waitFor();
    await page.goto(`${frictionlens.origin}/#/sessions/${DOOMED}`);
    await page.getByRole('button', { name: 'Delete session' }).click();

    const dialog = page.getByRole('alertdialog', { name: 'Delete this session?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('landed on /basket');
    // Cancel has focus: Escape closes without deleting.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await listedIds()).toContain(DOOMED);

    // By keyboard: open, Tab to the confirming button, Enter.
    await page.getByRole('button', { name: 'Delete session' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !location.hash.startsWith('#/sessions/'));
    await page.locator('.session-row').first().waitFor();
    expect(await page.locator('.session-row').count()).toBe(1);
    expect(await listedIds()).toEqual([KEPT]);
    const gone = await fetch(`${frictionlens.origin}/api/sessions/${DOOMED}`, { headers: { authorization: `Bearer ${frictionlens.adminToken}` } });
    expect(gone.status).toBe(404);
  }, 60_000);

  it("sets the site's retention and deletes a user id's sessions from the Sites page", async () => {
    await page.goto(`${frictionlens.origin}/#/sites`);
    // The demo site has its own card: each card is named by its site.
    const card = page.getByRole('article', { name: 'Shop' });
    await card.getByRole('radio', { name: 'For a number of days' }).check();
    await card.getByLabel('Days to keep sessions').fill('30');
    await card.getByRole('button', { name: 'Save retention' }).click();
    await card.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await frictionlens.api<SiteList>('/api/sites')).sites.find((s) => s.id === siteId)?.retentionDays).toBe(30);

    await card.getByLabel("Delete a person's recordings").fill('nobody@example.com');
    await card.getByRole('button', { name: 'Delete sessions…' }).click();
    const dialog = page.getByRole('alertdialog', { name: "Delete this user's sessions?" });
    expect(await dialog.textContent()).toContain('identified as user nobody@example.com');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete their sessions' }).click();
    await card.getByRole('status').filter({ hasText: 'Deleted 0 sessions of user nobody@example.com.' }).waitFor();
    expect(await listedIds()).toEqual([KEPT]);
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('signs out on the server: the old cookie is refused afterwards, wherever a copy went', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === COOKIE_NAME)!.value;
    expect((await withCookie(cookie)).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    // The viewer shows sign-in at once; the server's answer that clears the cookie follows.
    await expect.poll(async () => (await context.cookies()).filter((c) => c.name === COOKIE_NAME)).toEqual([]);
    expect((await withCookie(cookie)).status).toBe(401);

    // Put back into the browser, the copy signs no one in either.
    await context.addCookies([{ name: COOKIE_NAME, value: cookie, url: `${frictionlens.origin}/api/`, httpOnly: true, sameSite: 'Strict' }]);
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.locator('nav[aria-label="Main"]').count()).toBe(0);
  }, 60_000);
});
