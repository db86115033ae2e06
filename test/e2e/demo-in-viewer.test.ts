// End to end: `npm start`'s server records a visit to the demo shop, and the viewer lists and replays it.
import { EventType, type eventWithTime } from '@rrweb/types';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS, type FormPayload } from '../../recorder/src/wire/format';
import type { SessionList, SiteList } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';

/** The document inside rrweb-player's replay iframe. */
async function replayFrame(viewer: Page): Promise<Frame> {
  const handle = await viewer.waitForSelector('.player iframe', { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('replay iframe has no document');
  return frame;
}

describe('the demo shop, recorded and replayed in the viewer', () => {
  let frictionlens: RunningFrictionlens;
  let browser: Browser;

  beforeAll(async () => {
    frictionlens = await startFrictionlens();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await frictionlens?.stop();
  });

  it('records a shopper who is stopped by checkout validation', async () => {
    const shop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await shop.goto(`${frictionlens.origin}/demo/`);
    await shop.click('[data-testid="add-to-cart-mug"]');
    await expect.poll(() => shop.textContent('#cart-count')).toBe('1');
    await shop.click('[data-testid="nav-cart"]');
    await shop.waitForSelector('[data-testid="cart-item-mug"]');
    await shop.click('#checkout');
    await shop.waitForSelector('#checkout-form');
    await shop.fill('#email', 'shopper@example.com');
    await shop.fill('#full-name', 'Ada Lovelace');
    await shop.selectOption('#country', 'GB');
    await shop.fill('#postcode', 'sw1a 1aa');
    await shop.click('#place-order');
    // The strict postcode rule is the demo's built-in friction point.
    await expect.poll(() => shop.textContent('#postcode-error')).not.toBe('');
    await shop.goto('about:blank');
    await shop.close();

    const { sites } = await frictionlens.api<SiteList>('/api/sites');
    const demo = sites.find((site) => site.name === 'demo');
    expect(demo?.origins).toEqual(['self']);
    const list = await waitFor(
      () => frictionlens.api<SessionList>(`/api/sessions?site=${demo!.id}`),
      ({ sessions }) => sessions[0]?.pageCount === 3,
    );
    expect(list.sessions).toHaveLength(1);
    expect(new URL(list.sessions[0]!.entryUrl).pathname).toBe('/demo/');
    // What stopped the shopper is in the stored recording: the checkout's submit, refused with the postcode among its invalid fields.
    const refusedSubmits = (events: eventWithTime[]) =>
      events.flatMap((event) => {
        const data = event.data as { tag?: string; payload?: FormPayload };
        return event.type === EventType.Custom && data.tag === CUSTOM_EVENT_TAGS.form && data.payload!.action === 'submit' ? [data.payload!] : [];
      });
    const stored = await waitFor(
      () => frictionlens.api<eventWithTime[]>(`/api/sessions/${list.sessions[0]!.id}/events`),
      (events) => refusedSubmits(events).length > 0,
    );
    expect(refusedSubmits(stored)).toEqual([expect.objectContaining({ form: '#checkout-form', invalidFields: expect.arrayContaining(['#postcode']) })]);

    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await viewer.goto(`${frictionlens.origin}/#token=${frictionlens.adminToken}`);
    // The sign-in link's token is taken and removed from the address bar.
    await viewer.waitForSelector('.session-row');
    expect(viewer.url()).not.toContain(frictionlens.adminToken);
    expect(await viewer.locator('.session-row').count()).toBe(1);
    await viewer.click('.session-row');

    const frame = await replayFrame(viewer);
    await expect.poll(() => frame.textContent('#page-title'), { timeout: 30_000 }).toBe('Small things, made well');
    const pageButtons = viewer.locator('section[aria-labelledby="timeline-heading"] ol > li > button:has-text("Opened")');
    // The timeline is asked for once the first frame is drawn, so its rows come a moment later.
    await expect.poll(() => pageButtons.count(), { timeout: 30_000 }).toBe(3);
    await pageButtons.nth(2).click();
    // Jumping to the third page shows the checkout form as the shopper saw it.
    await expect.poll(async () => (await replayFrame(viewer)).textContent('#page-title'), { timeout: 30_000 }).toBe('Checkout');
    await viewer.close();
    // A shopper's visit, its stored events and a replay in the viewer: longer than a unit test on a busy machine.
  }, 60_000);
});
