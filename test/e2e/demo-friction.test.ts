// End to end: a visit to the demo shop that falls into its traps, and the friction the server stores for it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormAbandonmentDetails, FrictionFlag, SessionFriction } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';
import { Visitor } from './friction-scenarios/visitor';

/** The demo's strict rule: a UK postcode in capitals with one space. */
const POSTCODE_ERROR = 'Enter a valid postcode for United Kingdom, e.g. SW1A 1AA.';
/** Long enough after a press for the dead-click window (2 s) to pass. */
const PAST_DEAD_WINDOW_MS = 2500;

describe('the demo shop: friction found on a visit that falls into its traps', () => {
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

  it('flags the dead and rage-clicked product photo, the promo code that fails twice, and the checkout left at the postcode', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const shop = await context.newPage();
    const v = new Visitor(shop, 'about:blank');
    await shop.goto(`${frictionlens.origin}/demo/`);
    const sessionId = (await (await shop.waitForFunction(() => window.frictionlens?.getSessionId())).jsonValue()) as string;

    await Promise.all([shop.waitForURL('**/product.html?id=tee'), v.press('[data-testid="product-link-tee"]')]);
    // The photo zooms on hover and shows a pointer: the shopper tries to enlarge it, then insists.
    await v.press('#product-image');
    await v.pause(PAST_DEAD_WINDOW_MS);
    await v.press('#product-image', { times: 4, gapMs: 200 });
    await v.pause(1500);
    await v.press('#add-to-cart');
    await expect.poll(() => shop.textContent('#cart-count')).toBe('1');

    await Promise.all([shop.waitForURL('**/cart.html'), v.press('[data-testid="nav-cart"]')]);
    await v.typeInto('#promo-code', 'SPRING15');
    for (let i = 0; i < 2; i++) {
      await v.press('[data-testid="apply-promo"]');
      await expect.poll(() => shop.textContent('#promo-message')).toBe('This code is not valid.');
      await v.pause(1000);
    }

    await Promise.all([shop.waitForURL('**/checkout.html'), v.press('#checkout')]);
    await v.typeInto('#email', 'shopper@example.com');
    await v.typeInto('#full-name', 'Ada Lovelace');
    await v.typeInto('#address', '10 Downing Street');
    await v.typeInto('#city', 'London');
    await shop.selectOption('#country', 'GB');
    await v.typeInto('#postcode', 'sw1a 1aa');
    await v.typeInto('#phone', '+441632960961');
    await v.press('#place-order');
    await expect.poll(() => shop.textContent('#postcode-error')).toBe(POSTCODE_ERROR);
    await v.pause(1000);
    // The shopper gives up and leaves the shop.
    await shop.goto('about:blank');

    const byType = (flags: FrictionFlag[], type: FrictionFlag['type']) => flags.filter((flag) => flag.type === type);
    const { friction } = await waitFor(
      () => frictionlens.api<SessionFriction>(`/api/sessions/${sessionId}/friction`),
      ({ friction }) => friction.some((flag) => flag.type === 'form_abandonment' && flag.selector === '#checkout-form'),
      30_000,
    );
    await context.close();

    const [rage] = byType(friction, 'rage_click');
    expect(rage).toMatchObject({ selector: '#product-image', url: expect.stringContaining('/demo/product.html') });
    expect(rage!.reason).toMatch(/^4 clicks in [\d.]+ s on 'Photo of Organic Cotton Tee'/);
    const [dead] = byType(friction, 'dead_click');
    expect(dead).toMatchObject({ selector: '#product-image' });
    expect(dead!.reason).toBe("Clicked 'Photo of Organic Cotton Tee' and nothing on the page changed within 2 s.");
    expect(byType(friction, 'dead_click')).toHaveLength(1);

    const [loop] = byType(friction, 'error_loop');
    expect(loop).toMatchObject({ selector: '#promo-form', details: { pattern: 'action-error', count: 2 } });
    expect(loop!.reason).toMatch(/^The visitor submitted the promo form 2 times in a row, and each time it /);

    const checkout = byType(friction, 'form_abandonment').find((flag) => flag.selector === '#checkout-form')!;
    const details = checkout.details as FormAbandonmentDetails;
    expect(details).toMatchObject({ dropOffField: '#postcode', dropOffLabel: 'Postcode', blockedSubmits: 1, ending: 'left-page' });
    expect(details.fieldsTouched).toEqual(['#email', '#full-name', '#address', '#city', '#country', '#postcode', '#phone']);
    expect(details.validationErrors).toContainEqual({ field: '#postcode', label: 'Postcode', message: POSTCODE_ERROR });
    expect(checkout.reason).toBe(
      `Started the checkout form, got to 'Postcode' (error: '${POSTCODE_ERROR}'), tried to submit once without getting through, and left.`,
    );
  }, 120_000);
});
