// End to end: what the recorder captures besides the DOM (errors, requests, forms, clicks, route changes…) reaches the server.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { eventWithTime } from '@rrweb/types';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite } from '../../server/src/api-types';
import {
  CUSTOM_EVENT_TAGS,
  type ClickEffectPayload,
  type ClickPayload,
  type CustomEventPayloads,
  type CustomEventTag,
  type FormFieldPayload,
} from '../../recorder/src/wire/custom-events';
import { launchChromium } from '../support/launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';
import { startStaticServer, type StaticServer } from '../support/static-server';

const pagesDir = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
const fixtureScript = readFileSync(new URL('../fixtures/pages/capture.js', import.meta.url), 'utf8').split('\n');
const THROW_LINE = fixtureScript.findIndex((line) => line.includes("throw new Error('fixture boom")) + 1;
const TYPED_EMAIL = 'gracehopper1906';
const TYPED_COUPON = 'NOPE-42X';

type Custom<T extends CustomEventTag> = CustomEventPayloads[T] & { at: number };

/** Our custom events of one tag, in stream order, each with its index in the stream. */
function custom<T extends CustomEventTag>(events: eventWithTime[], tag: T): Custom<T>[] {
  return events.flatMap((event, at) => {
    const data = event.data as { tag?: string; payload?: CustomEventPayloads[T] };
    return event.type === 5 && data.tag === tag ? [{ ...data.payload!, at }] : [];
  });
}

async function centerOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator(selector).boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// One visit does everything; each test reads its part of the stored events. A failing visit fails every test.
describe('capture besides the DOM', { timeout: 60_000 }, () => {
  let frictionlens: RunningFrictionlens;
  let site: StaticServer;
  let browser: Browser;
  let origin: string;
  let recorded: Promise<eventWithTime[]>;
  const expected = { boxClick: { x: 0, y: 0 }, menuScrollY: 0 };

  beforeAll(async () => {
    frictionlens = await startFrictionlens();
    let key = '';
    site = await startStaticServer(pagesDir, (html) =>
      html.replace('<!--RECORDER-->', `<script src="${frictionlens.origin}/recorder.js" data-key="${key}" async></script>`),
    );
    origin = site.origin;
    const created = await frictionlens.api<CreatedSite>('/api/sites', {
      method: 'POST',
      body: JSON.stringify({ name: 'Capture fixture', origins: [site.origin] }),
    });
    key = created.key;
    browser = await launchChromium();
    recorded = visit();
    recorded.catch(() => {}); // reported by each test that awaits it
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await frictionlens?.stop();
  });

  async function visit(): Promise<eventWithTime[]> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('popup', (popup) => void popup.close());
    await page.goto(`${site.origin}/capture.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    const fixture = (name: string, arg?: string) =>
      page.evaluate(([n, a]) => (window as unknown as { fixture: Record<string, (a?: string) => unknown> }).fixture[n!]!(a), [name, arg]);

    // Errors, console, network.
    await fixture('throwError');
    await fixture('reject');
    await fixture('log');
    await fixture('fetches');
    await fixture('xhrUnreachable');
    await fixture('ownIngest', frictionlens.origin);

    // A form whose submit the browser's validation blocks; the phone field is left empty after focus.
    await page.click('#email');
    await page.keyboard.type(TYPED_EMAIL);
    await page.click('#phone');
    await page.click('#join');
    // A form the site validates itself, showing its message in an element.
    await page.click('#coupon');
    await page.keyboard.type(TYPED_COUPON);
    await page.click('#apply');

    // Clicks: inside a box, on elements with generated ids, on a fixed header after scrolling.
    const box = (await page.locator('[data-testid="target-box"]').boundingBox())!;
    expected.boxClick = { x: box.x + 100, y: box.y + 50 };
    await page.mouse.click(expected.boxClick.x, expected.boxClick.y);
    await page.click('#cards > div:nth-of-type(2)');
    await page.evaluate(() => window.scrollTo(0, 600));
    expected.menuScrollY = await page.evaluate(() => window.scrollY);
    await page.click('#menu');
    await page.evaluate(() => window.scrollTo(0, 0));

    // Click effects.
    const pay = await centerOf(page, '#pay');
    await page.mouse.click(pay.x, pay.y); // disabled: page.click would wait for it to be enabled
    await page.click('#open-help');
    await page.click('#upload');
    await page.click('#when');
    await page.keyboard.press('Escape');
    await page.click('#pick-date');
    await page.keyboard.press('Escape');
    await page.click('#report');
    await page.click('#quote', { clickCount: 3 });
    await page.keyboard.press('Control+C');
    // What was pressed: a link to another tab (clicked on its inner span), a masked button with Alt held.
    await page.click('#terms span');
    await page.click('#account', { modifiers: ['Alt'] });

    // Route changes: push, a replace that changes nothing, back, a hash route, an in-page anchor.
    await page.evaluate(() => {
      history.pushState({}, '', '/step-2?plan=secret-plan');
      history.replaceState({ extra: 1 }, '', location.href);
    });
    await page.evaluate(() => new Promise((resolve) => (window.addEventListener('popstate', resolve, { once: true }), history.back())));
    await page.evaluate(() => new Promise((resolve) => (window.addEventListener('hashchange', resolve, { once: true }), (location.hash = '#/settings'))));
    await page.evaluate(() => new Promise((resolve) => (window.addEventListener('hashchange', resolve, { once: true }), (location.hash = '#/settings?tab=secret'))));

    // Scroll to the bottom; the depth is sent when the page view ends, in the pagehide flush.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(400);
    const sessionId = await page.evaluate(() =>
      (window as unknown as { frictionlens: { getSessionId(): string } }).frictionlens.getSessionId(),
    );
    // From here the fixture stops visibilitychange before anyone sees it: only the recorder's
    // pagehide flush can send the last page view's depth, so it must be emitted before that flush.
    await page.evaluate(() => ((window as unknown as { hideVisibility: boolean }).hideVisibility = true));
    await page.goto('about:blank');
    await context.close();

    return waitFor(
      () => frictionlens.api<eventWithTime[]>(`/api/sessions/${sessionId}/events`),
      (stored) => {
        const views = custom(stored, CUSTOM_EVENT_TAGS.pageView);
        return custom(stored, CUSTOM_EVENT_TAGS.scrollDepth).some((depth) => depth.at > views.at(-1)!.at);
      },
    );
  }

  it('captures an uncaught error with its source, line and stack, and an unhandled rejection', async () => {
    const events = await recorded;
    const errors = custom(events, CUSTOM_EVENT_TAGS.error);
    const thrown = errors.find((e) => e.kind === 'error')!;
    // The site's own message named a customer: the address is scrubbed, in the stack's first line too.
    expect(thrown.message).toContain('fixture boom for [email]');
    expect(thrown.stack).toContain('fixture boom for [email]');
    expect(JSON.stringify(events)).not.toContain('jane.doe@shop.test');
    expect(thrown.source).toBe(`${origin}/capture.js`);
    expect(thrown.line).toBe(THROW_LINE);
    expect(thrown.column).toBeGreaterThan(0);
    expect(thrown.stack).toContain('explodeOnPurpose');
    expect(thrown.stack).toContain(`${origin}/capture.js:${THROW_LINE}:`);
    const rejection = errors.find((e) => e.kind === 'unhandled-rejection')!;
    expect(rejection.message).toBe('Error: fixture rejection');
    expect(rejection.stack).toContain('rejectOnPurpose');
    expect(errors).toHaveLength(2);
  });

  it('captures console.error and console.warn, compactly rendered', async () => {
    const events = await recorded;
    expect(custom(events, CUSTOM_EVENT_TAGS.console).map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 'error', message: 'fixture console error {"code":"E42","card":"[card]","nested":"…"}' },
      { level: 'warn', message: 'fixture console warning' },
    ]);
  });

  it('captures failed fetch and XHR without query strings, and not the recorder’s own ingest URL', async () => {
    const events = await recorded;
    const failures = custom(events, CUSTOM_EVENT_TAGS.networkFailure);
    expect(failures.map(({ at, durationMs, ...rest }) => rest)).toEqual([
      { initiator: 'fetch', method: 'GET', url: `${origin}/missing.json`, status: 404 },
      { initiator: 'xhr', method: 'POST', url: 'http://127.0.0.1:1/unreachable', status: 0, error: 'error' },
    ]);
    for (const failure of failures) expect(failure.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('captures the field-level story of a submit blocked by validation, and of a site’s own validation', async () => {
    const events = await recorded;
    const fields = custom(events, CUSTOM_EVENT_TAGS.formField);
    const of = (selector: string, action: FormFieldPayload['action']) => fields.filter((f) => f.field.selector === selector && f.action === action);

    const [emailInvalid] = of('#email', 'invalid');
    expect(emailInvalid).toMatchObject({
      field: { selector: '#email', kind: 'input:email', name: 'email', label: 'Email', form: '#signup' },
      empty: false,
      valid: false,
      validity: ['typeMismatch'],
    });
    // Chrome's message quotes the typed text; it is masked.
    expect(emailInvalid!.validationMessage).toMatch(/'\*\*\*'/);
    const [nameInvalid] = of('#full-name', 'invalid');
    expect(nameInvalid).toMatchObject({ empty: true, valid: false, validity: ['valueMissing'] });
    expect(nameInvalid!.validationMessage.length).toBeGreaterThan(0);
    expect(of('#email', 'change')).toHaveLength(1);

    // Focused, left empty: the field a visitor abandoned on.
    expect(of('#phone', 'focus')).toHaveLength(1);
    expect(of('#phone', 'blur')[0]).toMatchObject({ empty: true, valid: true, field: { kind: 'input:tel', label: 'Phone' } });

    // Blocked by the browser: invalid events and no submit. The site-validated form submits,
    // and its message is read after the site's handler ran.
    const forms = custom(events, CUSTOM_EVENT_TAGS.form);
    expect(forms.map(({ at, ...rest }) => rest)).toEqual([{ action: 'submit', form: '#coupon-form', fieldCount: 1, invalidFields: ['#coupon'] }]);
    const refocus = of('#coupon', 'focus').filter((f) => f.at > forms[0]!.at);
    expect(refocus[0]).toMatchObject({ valid: true, empty: false, validationMessage: 'That code is not valid.' });
    expect(of('#coupon', 'blur')[0]!.validationMessage).toBe('');
  });

  it('captures clicks with heatmap positions, stable selectors and fixed detection', async () => {
    const events = await recorded;
    const clicks = custom(events, CUSTOM_EVENT_TAGS.click);
    const box = clicks.find((c) => c.selector === '[data-testid="target-box"]')!;
    expect(box.offsetX).toBeCloseTo(0.25, 1);
    expect(Math.abs(box.offsetX - 0.25)).toBeLessThan(0.05);
    expect(Math.abs(box.offsetY - 0.25)).toBeLessThan(0.05);
    expect(Math.abs(box.x - expected.boxClick.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.y - expected.boxClick.y)).toBeLessThanOrEqual(1);
    expect(box).toMatchObject({ viewportWidth: 1200, viewportHeight: 800, fixed: false });
    expect(box.documentHeight).toBeGreaterThan(2400);
    expect(box.documentWidth).toBeGreaterThanOrEqual(1185);

    expect(clicks.map((c) => c.selector)).toContain('#cards>div:nth-of-type(2)');
    const menu = clicks.find((c) => c.selector === '#menu')!;
    expect(menu.fixed).toBe(true);
    // Page coordinates: the fixed header is 600 px down the document while scrolled.
    expect(menu.y).toBeGreaterThan(expected.menuScrollY);
    expect(Math.abs(menu.offsetX - 0.5)).toBeLessThan(0.05);
    // A triple click to select text arrives as clicks 1, 2 and 3, as the browser counts them.
    expect(clicks.filter((c) => c.selector === '#quote').map((c) => c.clickCount)).toEqual([1, 2, 3]);
    // The browser fires no click on a disabled button.
    expect(clicks.map((c) => c.selector)).not.toContain('#pay');
    const keys: Array<keyof ClickPayload> = ['x', 'y', 'viewportWidth', 'viewportHeight', 'documentWidth', 'documentHeight'];
    keys.push('selector', 'offsetX', 'offsetY', 'fixed', 'clickCount', 'target');
    for (const click of clicks) expect(Object.keys(click).sort()).toEqual([...keys, ...(click.modifier ? ['modifier'] : []), 'at'].sort());
  });

  it('says what each click pressed: kind, text, link target, whether it looked clickable, modifier keys; no masked text', async () => {
    const events = await recorded;
    const clicks = custom(events, CUSTOM_EVENT_TAGS.click);
    const on = (selector: string) => clicks.find((c) => c.selector === selector)!;
    // A button's cursor is the browser's default arrow; its text names it.
    expect(on('#menu').target).toEqual({ kind: 'button', text: 'Menu' });
    expect(on('#email').target).toEqual({ kind: 'input:email', editable: true });
    // Clicked on the span inside: the link is what was pressed; the heatmap keeps the span.
    const terms = on('#terms>span');
    expect(terms.target).toEqual({ kind: 'a', text: 'Read the terms', href: `${origin}/help.html`, newTab: true, pointer: true });
    expect(terms.modifier).toBeUndefined();
    const account = on('#account');
    expect(account.modifier).toBe(true);
    expect(account.target).toEqual({ kind: 'button' });
    expect(JSON.stringify(events)).not.toContain('Jane Doe');
  });

  it('captures the effects of presses that leave no trace in the DOM', async () => {
    const events = await recorded;
    const effects = custom(events, CUSTOM_EVENT_TAGS.clickEffect).map(({ at, ...rest }) => rest as ClickEffectPayload);
    expect(effects).toEqual([
      { effect: 'disabled-press', selector: '#pay' },
      { effect: 'window-open', url: `${origin}/help.html` },
      { effect: 'file-chooser', selector: '#upload' },
      { effect: 'date-picker', selector: '#when' },
      { effect: 'date-picker', selector: '#when' },
      { effect: 'download', selector: '#report', url: `${origin}/capture-report.csv` },
      { effect: 'copy', selector: '#quote' },
    ]);
  });

  it('captures route changes as page views, and the scroll depth of each page view', async () => {
    const events = await recorded;
    const [load, ...routes] = custom(events, CUSTOM_EVENT_TAGS.pageView).map(({ at, title, ...rest }) => rest);
    expect(load!.url).toMatch(`${origin}/capture.html`); // the recorder's own, at load
    // The replaceState that kept the URL, and the anchor-like query on the hash route, are no page views.
    expect(routes).toEqual([
      { url: `${origin}/step-2`, referrer: `${origin}/capture.html`, trigger: 'push-state' },
      { url: `${origin}/capture.html`, referrer: `${origin}/step-2`, trigger: 'popstate' },
      { url: `${origin}/capture.html#/settings`, referrer: `${origin}/capture.html`, trigger: 'hashchange' },
    ]);
    const depths = custom(events, CUSTOM_EVENT_TAGS.scrollDepth);
    const last = depths.at(-1)!;
    expect(last.viewportHeight).toBe(800);
    expect(last.maxY).toBe(last.documentHeight);
    expect(last.fraction).toBe(1);
    // The first page view was scrolled to 600 px, never to the bottom: its depth was sent at the first route change.
    const firstRouteChange = custom(events, CUSTOM_EVENT_TAGS.pageView)[1]!.at;
    const first = depths.filter((d) => d.at < firstRouteChange).at(-1)!;
    expect(first.maxY).toBeGreaterThanOrEqual(expected.menuScrollY + 800);
    expect(first.fraction).toBeLessThan(0.9);
  });

  it('puts the page’s own functions back on stop, and wraps them again on start', async () => {
    await recorded.catch(() => {}); // one visit at a time
    const page = await browser.newPage();
    await page.goto(`${site.origin}/capture.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    type Api = { stop(): void; start(): void };
    // Names of the page functions that differ from the ones taken before the recorder loaded.
    const wrapped = () =>
      page.evaluate(() => {
        type Globals = Record<string, unknown>;
        const { originals, pageGlobals } = window as unknown as { originals: Globals; pageGlobals(): Globals };
        const now = pageGlobals();
        return Object.keys(originals).filter((name) => originals[name] !== now[name]);
      });
    const all = ['pushState', 'replaceState', 'fetch', 'open', 'error', 'warn', 'xhrOpen', 'xhrSend', 'showPicker'];
    expect(await wrapped()).toEqual(all);
    await page.evaluate(() => (window as unknown as { frictionlens: Api }).frictionlens.stop());
    expect(await wrapped()).toEqual([]);
    await page.evaluate(() => (window as unknown as { frictionlens: Api }).frictionlens.start());
    expect(await wrapped()).toEqual(all);
    await page.close();
  });

  it('stores no typed value or request body, and our events no query string', async () => {
    const events = await recorded;
    const stored = JSON.stringify(events);
    for (const secret of [TYPED_EMAIL, TYPED_COUPON, '4242424242424242']) expect(stored, secret).not.toContain(secret);
    // Query strings in the page's own markup (a link, a script src) are the DOM's, recorded by rrweb.
    const ours = JSON.stringify(events.filter((event) => event.type === 5 && String((event.data as { tag: string }).tag).startsWith('frictionlens.')));
    for (const secret of ['query-value', 'query-secret', 'secret-token', 'secret-plan', 'tab=secret', 'ref=secret', 'key=not-a-key']) {
      expect(ours, secret).not.toContain(secret);
    }
  });
});
