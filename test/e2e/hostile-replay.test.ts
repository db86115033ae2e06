// The viewer under its own security headers in Chromium, replaying a recording that carries scripts, handlers, javascript: URLs and markup in its title, URL, selectors and error messages: nothing runs, nothing becomes HTML, no CSP violation.
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS, WIRE_FORMAT_VERSION } from '../../recorder/src/wire/format';
import type { CreatedSite } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { signInViewer } from '../support/sign-in-viewer';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';

const SESSION = 'hostile-replay-session';
/** Markup that marks the viewer's window and asks for /pwned-… if it is ever parsed as HTML in the viewer. */
const markup = (where: string) => `<img src=x onerror="top.__pwned='${where}';fetch('/pwned-${where}')">`;
const HOSTILE_URL = `https://shop.example/checkout?q=${encodeURIComponent(markup('url'))}`;

function hostileBatch(): unknown {
  const t0 = Date.now() - 10_000;
  const element = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({ type: 2, tagName, attributes, childNodes, id });
  const text = (id: number, textContent: string) => ({ type: 3, textContent, id });
  const head = element(4, 'head', {}, [element(20, 'title', {}, [text(21, `Checkout ${markup('title')}`)])]);
  const body = element(5, 'body', { onload: "top.__pwned='onload';fetch('/pwned-onload')" }, [
    element(6, 'h1', {}, [text(7, 'Hostile checkout')]),
    element(8, 'script', {}, [text(9, "top.__pwned='script';fetch('/pwned-script')")]),
    element(10, 'img', { id: 'broken', src: '/no-such-image.png', onerror: "top.__pwned='onerror';fetch('/pwned-onerror')" }),
    element(11, 'a', { id: 'js-link', href: "javascript:top.__pwned='link';fetch('/pwned-link')" }, [text(12, 'A javascript: link')]),
    element(13, 'button', { id: 'pay', type: 'button', onclick: "top.__pwned='onclick';fetch('/pwned-onclick')" }, [text(14, 'Pay')]),
  ]);
  const snapshot = { type: 0, id: 1, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: 2 }, element(3, 'html', {}, [head, body])] };
  const click = (ts: number) => ({
    type: 5,
    timestamp: ts,
    data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 40, y: 120, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 800, selector: `#pay${markup('selector')}`, offsetX: 0.5, offsetY: 0.5, fixed: false, target: { kind: 'button', text: markup('target') } } },
  });
  const events = [
    { type: 4, timestamp: t0, data: { href: HOSTILE_URL, width: 1280, height: 800 } },
    { type: 2, timestamp: t0 + 1, data: { node: snapshot, initialOffset: { left: 0, top: 0 } } },
    { type: 5, timestamp: t0 + 2, data: { tag: CUSTOM_EVENT_TAGS.pageView, payload: { url: HOSTILE_URL, title: `Checkout ${markup('page-title')}`, referrer: 'javascript:alert(1)', trigger: 'load' } } },
    ...[1000, 1150, 1300, 1450, 1600].map((at) => click(t0 + at)),
    { type: 5, timestamp: t0 + 2000, data: { tag: CUSTOM_EVENT_TAGS.error, payload: { kind: 'error', message: `Payment failed ${markup('error')}`, source: 'javascript:alert(1)' } } },
    { type: 5, timestamp: t0 + 2100, data: { tag: CUSTOM_EVENT_TAGS.networkFailure, payload: { initiator: 'fetch', method: 'POST', url: `https://shop.example/pay${markup('request')}`, status: 500, durationMs: 20 } } },
    { type: 3, timestamp: t0 + 4000, data: { source: 1, positions: [{ x: 1, y: 1, id: 6, timeOffset: 0 }] } },
  ];
  return { v: WIRE_FORMAT_VERSION, sessionId: SESSION, seq: 0, pageId: 'hostile-replay-page', url: HOSTILE_URL, sentAt: t0 + 5000, events, final: true };
}

let frictionlens: RunningFrictionlens;
let browser: Browser;
let viewer: Page;
/** Chromium's console reports of blocked resources and scripts, from the viewer and its frames. */
const cspReports: string[] = [];
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  frictionlens = await startFrictionlens();
  const site = await frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Shop', origins: ['https://shop.example'] }) });
  const res = await fetch(`${frictionlens.origin}/api/ingest?key=${site.key}&enc=gzip`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: gzipSync(JSON.stringify(hostileBatch())) });
  expect(res.status, await res.text()).toBe(200);
  browser = await launchChromium();
  viewer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  viewer.on('console', (message) => void (message.text().includes('Content Security Policy') && cspReports.push(message.text())));
  viewer.on('request', (request) => void requests.push(request.url()));
  viewer.on('pageerror', (error) => void pageErrors.push(error.message));
  await signInViewer(viewer, frictionlens.origin, frictionlens.adminToken);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await frictionlens?.stop();
});

describe('a hostile recording in the viewer', () => {
  it('replays under the viewer’s CSP with nothing of the recording run or parsed as HTML', async () => {
    const answer = await fetch(`${frictionlens.origin}/`);
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Analysed, so the timeline shows its flags (the rage clicks' selector) too.
    await waitFor(() => frictionlens.api<{ friction: Record<string, number> }>(`/api/sessions/${SESSION}`), (session) => Object.values(session.friction).some((n) => n > 0), 60_000);

    await viewer.goto(`${frictionlens.origin}/#/sessions/${SESSION}`);
    // The replay shows the recorded page: the viewer's own scripts ran under its policy.
    await viewer.waitForFunction(() => document.querySelector<HTMLIFrameElement>('.player iframe')?.contentDocument?.querySelector('h1')?.textContent === 'Hostile checkout', undefined, { timeout: 30_000 });
    expect(await viewer.getAttribute('.player iframe', 'sandbox')).toBe('allow-same-origin');
    // The recorded error message is on screen, as text.
    await viewer.getByText('Payment failed <img', { exact: false }).first().waitFor({ timeout: 15_000 });

    // Loading the viewer, the session and its replay broke no rule of the policy.
    expect(cspReports).toEqual([]);

    // Give every handler its chance: follow the link and press the button inside the replay, let the broken image fail.
    await viewer.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>('.player iframe')!.contentDocument!;
      doc.querySelector<HTMLAnchorElement>('#js-link')?.click();
      doc.querySelector<HTMLButtonElement>('#pay')?.click();
    });
    await viewer.waitForFunction(() => document.querySelector<HTMLIFrameElement>('.player iframe')!.contentDocument!.querySelector<HTMLImageElement>('#broken')?.complete !== false);

    const top = await viewer.evaluate(() => ({
      pwned: (window as { __pwned?: unknown }).__pwned ?? null,
      // Outside the replay frame: no element the recording's markup could have made, no javascript: link.
      injected: document.querySelectorAll('img[src="x"], [onerror], [onclick], [onload]').length,
      scriptLinks: [...document.querySelectorAll('a')].filter((a) => a.getAttribute('href')?.trim().toLowerCase().startsWith('javascript:')).length,
      text: document.body.innerText,
    }));
    expect(top.pwned).toBeNull();
    expect(top.injected).toBe(0);
    expect(top.scriptLinks).toBe(0);
    expect(top.text).toContain(`Payment failed ${markup('error')}`);
    expect(requests.filter((url) => url.includes('/pwned'))).toEqual([]);
    // The replay frame inherits the viewer's policy: the javascript: link was refused by it too, besides the sandbox.
    expect(cspReports).toEqual([expect.stringContaining('Running the JavaScript URL violates')]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
