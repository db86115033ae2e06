// End to end: clicks recorded in Chromium at two widths, drawn by the viewer's heatmap on the rebuilt page, read back from the canvas's pixels.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS, WIRE_FORMAT_VERSION } from '../../recorder/src/wire/format';
import type { HeatmapData, HeatmapSnapshot } from '../../server/src/api-types';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Records one visit at a viewport width and ends it, so its final batch is sent. */
async function visit(recorded: RecordedSite, path: string, width: number, act: (page: Page) => Promise<void>): Promise<void> {
  const page = await recorded.browser.newPage({ viewport: { width, height: width < 768 ? 844 : 800 } });
  await page.goto(`${recorded.site.origin}/${path}`);
  await page.waitForFunction(() => typeof (window as { frictionlens?: { getSessionId?: () => string | null } }).frictionlens?.getSessionId?.() === 'string');
  await act(page);
  await page.goto('about:blank');
  await page.close();
}

/**
 * The hottest pixel of the drawn heatmap (highest alpha: simpleheat colours by it), in the rebuilt
 * document's px, and the box of an element of the rebuilt page; both read in the viewer.
 */
function readHeatmap(viewer: Page, selector: string): Promise<{ hottest: { x: number; y: number; alpha: number }; box: Box | null; width: number }> {
  return viewer.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="heatmap-stage"] canvas')!;
    const density = Number(canvas.dataset.density);
    const { data, width } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let best = 3;
    let alpha = -1;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > alpha) (alpha = data[i]!), (best = i);
    const pixel = (best - 3) / 4;
    const frame = document.querySelector<HTMLIFrameElement>('[data-testid="heatmap-stage"] iframe')!;
    const element = frame.contentDocument!.querySelector(selector);
    const rect = element?.getBoundingClientRect();
    return {
      hottest: { x: ((pixel % width) + 0.5) / density, y: (Math.floor(pixel / width) + 0.5) / density, alpha },
      box: rect ? { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom } : null,
      width: frame.contentDocument!.documentElement.clientWidth,
    };
  }, selector);
}

/** The alpha drawn at a point of the document. */
function alphaAt(viewer: Page, x: number, y: number): Promise<number> {
  return viewer.evaluate(([x, y]) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="heatmap-stage"] canvas')!;
    const density = Number(canvas.dataset.density);
    return canvas.getContext('2d')!.getImageData(Math.floor(x! * density), Math.floor(y! * density), 1, 1).data[3]!;
  }, [x, y]);
}

/** The rebuilt page's document, from the viewer's side (the frame is same-origin, scripts or not). Runs in the viewer. */
declare function rebuiltDocument(): Document;
const REBUILT_DOCUMENT = `window.rebuiltDocument = () => document.querySelector('[data-testid="heatmap-stage"] iframe').contentDocument;`;

/**
 * A recording whose snapshot carries a script with code, an onerror handler and a javascript: link.
 * Our recorder drops scripts, but a stored recording is data from the browser: the viewer must not
 * trust it. Each payload, if run in the viewer, marks the viewer's window and requests /pwned-….
 */
function hostileBatch(url: string, imageOrigin: string): unknown {
  const t0 = Date.now();
  const element = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[] = []) => ({ type: 2, tagName, attributes, childNodes, id });
  const text = (id: number, textContent: string) => ({ type: 3, textContent, id });
  const body = element(5, 'body', {}, [
    element(6, 'script', {}, [text(7, "top.__pwned = 'script'; fetch('/pwned-script')")]),
    element(8, 'img', { id: 'broken', src: `${imageOrigin}/no-such-image.png`, onerror: "top.__pwned = 'onerror'; fetch('/pwned-onerror')" }),
    element(9, 'a', { id: 'js-link', href: "javascript:top.__pwned = 'link'; fetch('/pwned-link')" }, [text(10, 'A javascript: link')]),
    element(11, 'button', { id: 'press', type: 'button' }, [text(12, 'Press')]),
  ]);
  const snapshot = { type: 0, id: 1, childNodes: [{ type: 1, name: 'html', publicId: '', systemId: '', id: 2 }, element(3, 'html', {}, [element(4, 'head', {}), body])] };
  const events = [
    { type: 4, timestamp: t0, data: { href: url, width: 1280, height: 800 } },
    { type: 2, timestamp: t0 + 1, data: { node: snapshot, initialOffset: { left: 0, top: 0 } } },
    { type: 5, timestamp: t0 + 2, data: { tag: CUSTOM_EVENT_TAGS.pageView, payload: { url, title: 'Hostile', referrer: '', trigger: 'load' } } },
    { type: 5, timestamp: t0 + 2000, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 40, y: 120, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 800, selector: '#press', offsetX: 0.5, offsetY: 0.5, fixed: false } } },
  ] as eventWithTime[];
  return { v: WIRE_FORMAT_VERSION, sessionId: 'hostile-session-01', seq: 0, pageId: 'hostile-page-01', url, sentAt: t0 + 3000, events, final: true };
}

const ANALYSIS_WAIT_MS = 60_000;

const inside = (point: { x: number; y: number }, box: Box) => point.x >= box.left && point.x <= box.right && point.y >= box.top && point.y <= box.bottom;

describe('heatmaps in the viewer', () => {
  let recorded: RecordedSite;
  let viewer: Page;
  const viewerErrors: string[] = [];
  const viewerRequests: string[] = [];
  let productUrl: string;
  let hostileUrl: string;

  beforeAll(async () => {
    recorded = await startRecordedSite();
    productUrl = `${recorded.site.origin}/heatmap.html`;
    await visit(recorded, 'heatmap.html', 1280, async (page) => {
      for (let i = 0; i < 3; i++) await page.click('#buy', { delay: 20 });
      await page.click('#reveal');
      await page.click('#late');
    });
    await visit(recorded, 'heatmap.html', 390, async (page) => {
      for (let i = 0; i < 2; i++) await page.click('#buy', { delay: 20 });
    });
    hostileUrl = `${recorded.site.origin}/hostile.html`;
    const ingest = await fetch(`${recorded.frictionlens.origin}/api/ingest?key=${recorded.siteKey}&enc=identity`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: recorded.site.origin },
      body: JSON.stringify(hostileBatch(hostileUrl, recorded.site.origin)),
    });
    expect(ingest.status).toBe(200);
    const api = recorded.frictionlens.api.bind(recorded.frictionlens);
    const heatmap = (url: string, device: string) => api<HeatmapData>(`/api/heatmap?site=${recorded.siteId}&url=${encodeURIComponent(url)}&device=${device}`);
    // The analysis process runs at a lower priority: on a busy machine it can take a while.
    await waitFor(() => heatmap(productUrl, 'desktop'), (data) => data.total === 5, ANALYSIS_WAIT_MS);
    await waitFor(() => heatmap(productUrl, 'mobile'), (data) => data.total === 2, ANALYSIS_WAIT_MS);
    await waitFor(() => heatmap(hostileUrl, 'desktop'), (data) => data.total === 1, ANALYSIS_WAIT_MS);

    viewer = await recorded.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await viewer.addInitScript(REBUILT_DOCUMENT);
    viewer.on('pageerror', (error) => viewerErrors.push(error.message));
    viewer.on('console', (message) => message.type() === 'error' && viewerErrors.push(message.text()));
    viewer.on('request', (request) => viewerRequests.push(request.url()));
    await viewer.goto(`${recorded.frictionlens.origin}/#token=${recorded.frictionlens.adminToken}`);
    await viewer.waitForSelector('nav[aria-label="Main"]');
  }, 180_000);

  afterAll(async () => {
    await recorded?.close();
  });

  async function open(url: string, device: string, anchored: number): Promise<void> {
    await viewer.evaluate((hash) => (window.location.hash = hash), `#/heatmap?site=${recorded.siteId}&url=${encodeURIComponent(url)}&device=${device}&kind=all`);
    // The stage says how many clicks it placed on their element once the rebuilt page is laid out.
    await viewer.waitForFunction(
      ([n, device]) => {
        const stage = document.querySelector<HTMLElement>('[data-testid="heatmap-stage"]');
        return stage?.dataset.anchored === String(n) && document.querySelector(`nav[aria-label="Device"] a[aria-current="true"]`)?.textContent === device;
      },
      [anchored, device === 'mobile' ? 'Phone' : 'Desktop'] as const,
    );
  }

  it('draws the hottest pixel inside the clicked button at 1280 and at 390 px, where the layout moved it', async () => {
    await open(productUrl, 'desktop', 4);
    const desktop = await readHeatmap(viewer, '#buy');
    expect(desktop.width).toBe(1280);
    expect(desktop.box).not.toBeNull();
    expect(desktop.hottest.alpha).toBeGreaterThan(0);
    expect(inside(desktop.hottest, desktop.box!), JSON.stringify(desktop)).toBe(true);

    await open(productUrl, 'mobile', 2);
    const phone = await readHeatmap(viewer, '#buy');
    expect(phone.width).toBe(390);
    expect(inside(phone.hottest, phone.box!), JSON.stringify(phone)).toBe(true);
    // The layout did move it: below the content and full width on the phone, beside it on the desktop.
    expect(phone.box!.top).toBeGreaterThan(desktop.box!.bottom);
    expect(phone.box!.right - phone.box!.left).toBeGreaterThan(desktop.box!.right - desktop.box!.left);
  });

  it('falls back to page coordinates for a click on an element absent from the snapshot, without error', async () => {
    await open(productUrl, 'desktop', 4);
    expect(await viewer.getAttribute('[data-testid="heatmap-stage"]', 'data-fallback')).toBe('1');
    const data = await recorded.frictionlens.api<HeatmapData>(`/api/heatmap?site=${recorded.siteId}&url=${encodeURIComponent(productUrl)}&device=desktop`);
    const late = data.cells.find((cell) => data.selectors[cell.s] === '#late')!;
    const { box } = await readHeatmap(viewer, '#late');
    expect(box).toBeNull();
    // Drawn where it was clicked: its share of the 1280 px width, at its page y.
    expect(await alphaAt(viewer, late.x * 1280, late.y)).toBeGreaterThan(0);
    expect(await viewer.textContent('[data-testid="heatmap-legend"]')).toContain('1 placed by page position');
    expect(viewerErrors).toEqual([]);
  });

  it('runs none of the scripts, inline handlers or javascript: links the recorded page carries', async () => {
    const snapshot = await recorded.frictionlens.api<HeatmapSnapshot>(`/api/heatmap/snapshot?site=${recorded.siteId}&url=${encodeURIComponent(hostileUrl)}&device=desktop`);
    const carried = JSON.stringify(snapshot.events);
    expect(carried).toContain('"tagName":"script"');
    expect(carried).toContain('onerror');
    expect(carried).toContain('javascript:');

    await open(hostileUrl, 'desktop', 1);
    expect(await viewer.getAttribute('[data-testid="heatmap-stage"] iframe', 'sandbox')).toBe('allow-same-origin');
    // A person following the link: the sandbox must not run it either.
    await viewer.evaluate(() => (rebuiltDocument().getElementById('js-link') as HTMLAnchorElement).click());
    // The broken image has failed to load, so its onerror had its chance to run.
    await viewer.waitForFunction(() => (rebuiltDocument().getElementById('broken') as HTMLImageElement | null)?.complete === true);
    expect(await viewer.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(viewerRequests.filter((url) => url.includes('/pwned'))).toEqual([]);
  });
});
