// Wire bytes bench: a scripted minute in the demo shop, counting what the recorder posts and what it stood for as JSON.
// Run: npm run bench:recorder-wire   (builds recorder.js first)
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { databasePath } from '../server/src/db/open-database';
import { launchChromium } from '../test/support/launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../test/support/start-frictionlens';

/** A screen refresh: how often a real pointer reports a position. */
const FRAME_MS = 16;
/** Pauses between actions, as a shopper reads and decides. */
const GLANCE_MS = 1000;
const READ_MS = 2000;
/** Keystroke interval of a quick typist (about 100 words a minute). */
const KEY_DELAY_MS = 110;

interface SentBody {
  bytes: number;
  encoding: 'gzip' | 'identity';
  /** The batch JSON the body carries. */
  jsonBytes: number;
}

/**
 * Forwards everything to the real server, Host header and all (so the demo site's "self" origin
 * still matches), and counts each ingest request's body as it arrives. Counting here rather than
 * in the browser also sees the keepalive posts a page makes as it unloads, which Playwright misses.
 */
async function startCountingProxy(target: string, sent: SentBody[]): Promise<{ origin: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.method === 'POST' && incoming.url?.startsWith('/api/ingest')) {
        const encoding = incoming.url.includes('enc=gzip') ? 'gzip' : 'identity';
        sent.push({ bytes: body.length, encoding, jsonBytes: (encoding === 'gzip' ? gunzipSync(body) : body).length });
      }
      const upstream = forward({ hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      });
      upstream.on('error', () => outgoing.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Deterministic jitter, so every run moves the same way. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Drives the page like a person: the pointer glides between targets a frame at a time, keys come one by one. */
class Shopper {
  private x = 640;
  private y = 400;
  private readonly random = seededRandom(7);

  constructor(private readonly page: Page) {}

  async glideTo(x: number, y: number, ms = 600): Promise<void> {
    const steps = Math.max(1, Math.round(ms / FRAME_MS));
    const [fromX, fromY] = [this.x, this.y];
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      const ease = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
      const wobble = (this.random() - 0.5) * 6;
      await this.page.mouse.move(fromX + (x - fromX) * ease + wobble, fromY + (y - fromY) * ease + wobble);
      await this.page.waitForTimeout(FRAME_MS);
    }
    [this.x, this.y] = [x, y];
  }

  async glideOver(target: Locator, ms = 600): Promise<void> {
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (!box) throw new Error(`${target} is not visible`);
    await this.glideTo(box.x + box.width * (0.3 + this.random() * 0.4), box.y + box.height * (0.3 + this.random() * 0.4), ms);
  }

  async click(target: Locator): Promise<void> {
    await this.glideOver(target);
    await this.page.mouse.down();
    await this.page.waitForTimeout(60 + this.random() * 60);
    await this.page.mouse.up();
  }

  async type(target: Locator, text: string): Promise<void> {
    await this.click(target);
    await target.pressSequentially(text, { delay: KEY_DELAY_MS });
  }

  async retype(target: Locator, text: string): Promise<void> {
    await this.click(target);
    await target.selectText();
    await target.pressSequentially(text, { delay: KEY_DELAY_MS });
  }

  /** Wheel scrolling in notches, with the pointer drifting as the page moves under it. */
  async scroll(notches: number, direction: 1 | -1 = 1): Promise<void> {
    for (let i = 0; i < notches; i++) {
      await this.page.mouse.wheel(0, direction * 100);
      await this.glideTo(this.x + (this.random() - 0.5) * 80, this.y + (this.random() - 0.5) * 40, 180);
    }
  }

  async wander(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) await this.glideTo(200 + this.random() * 880, 120 + this.random() * 560, 500 + this.random() * 500);
  }
}

/** About a minute of shopping: browse, read a product, fill the cart, fumble a promo code and the checkout form, buy. */
async function shop(page: Page, origin: string): Promise<void> {
  const you = new Shopper(page);
  const byTestId = (id: string) => page.getByTestId(id);

  await page.goto(`${origin}/demo/`);
  await you.wander(GLANCE_MS);
  await you.scroll(6);
  await you.wander(READ_MS);
  await you.scroll(3, -1);
  await you.click(byTestId('product-link-tee'));
  await page.waitForURL(/product\.html/);
  await you.wander(READ_MS);
  await page.selectOption('#quantity', '2');
  await you.click(byTestId('add-to-cart-tee'));
  await you.wander(GLANCE_MS);
  await you.click(byTestId('nav-shop'));
  await page.waitForURL(/\/demo\/(index\.html)?$/);
  await you.scroll(2);
  await you.click(byTestId('add-to-cart-mug'));
  await you.wander(GLANCE_MS);
  await you.scroll(4);
  await you.click(byTestId('add-to-cart-notebook'));
  await you.wander(GLANCE_MS);
  await you.click(byTestId('nav-cart'));
  await page.waitForSelector('[data-testid="cart-item-mug"]');
  await you.wander(GLANCE_MS);
  await you.click(byTestId('qty-increase-mug'));
  await you.type(byTestId('promo-code'), 'SAVE10');
  await you.click(byTestId('apply-promo'));
  await you.wander(GLANCE_MS);
  await you.retype(byTestId('promo-code'), 'WELCOME10');
  await you.click(byTestId('apply-promo'));
  await you.wander(GLANCE_MS);
  await you.click(page.locator('#checkout'));
  await page.waitForSelector('#checkout-form');
  await you.type(page.locator('#email'), 'ada.lovelace@example.com');
  await you.type(page.locator('#full-name'), 'Ada Lovelace');
  await you.type(page.locator('#address'), '12 St James Square');
  await you.type(page.locator('#city'), 'London');
  await you.glideOver(page.locator('#country'));
  await page.selectOption('#country', 'GB');
  await you.type(page.locator('#postcode'), 'sw1a 1aa');
  await you.type(page.locator('#phone'), '0161 496 0000');
  await you.type(page.locator('#card-number'), '4242 4242 4242 4242');
  await you.type(page.locator('#card-expiry'), '12/30');
  await you.type(page.locator('#card-cvc'), '123');
  await you.click(page.locator('#place-order'));
  await you.wander(READ_MS); // reads the errors
  await you.retype(page.locator('#postcode'), 'SW1A 1AA');
  await you.retype(page.locator('#phone'), '+441614960000');
  await you.click(page.locator('#place-order'));
  await page.waitForURL(/thanks\.html/);
  await you.wander(READ_MS);
  await page.goto('about:blank'); // pagehide sends the rest
}

/** The stored batches, inflated: the JSON the recorder built, as the server keeps it. */
function readStored(frictionlens: RunningFrictionlens): { batches: number; pages: number; gzipBytes: number; jsonBytes: number } {
  const db = new Database(databasePath(frictionlens.dataDir), { readonly: true });
  try {
    const bodies = db.prepare<[], Buffer>('SELECT body FROM chunks').pluck().all();
    return {
      batches: bodies.length,
      pages: db.prepare<[], number>('SELECT count(*) FROM pages').pluck().get() ?? 0,
      gzipBytes: bodies.reduce((sum, body) => sum + body.length, 0),
      jsonBytes: bodies.reduce((sum, body) => sum + gunzipSync(body).length, 0),
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const frictionlens = await startFrictionlens();
  const sent: SentBody[] = [];
  const proxy = await startCountingProxy(frictionlens.origin, sent);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const started = Date.now();
    await shop(page, proxy.origin);
    const minutes = (Date.now() - started) / 60_000;
    // The last, keepalive batches land after the page has gone.
    const stored = await waitFor(
      async () => readStored(frictionlens),
      (s) => s.batches > 0 && s.batches === sent.length,
      10_000,
    ).catch(() => readStored(frictionlens));

    const sum = (bodies: SentBody[], field: 'bytes' | 'jsonBytes') => bodies.reduce((total, body) => total + body[field], 0);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const row = (label: string, count: number, bytes: number, jsonBytes: number) =>
      console.log(`| ${label} | ${count} | ${bytes} | ${kb(bytes / minutes)} | ${jsonBytes} | ${(jsonBytes / Math.max(1, bytes)).toFixed(2)} |`);
    const gzip = sent.filter((body) => body.encoding === 'gzip');
    const identity = sent.filter((body) => body.encoding === 'identity');
    const wire = sum(sent, 'bytes');
    const json = sum(sent, 'jsonBytes');

    console.log(`\nDemo shop session: ${(minutes * 60).toFixed(0)} s, ${stored.pages} page loads, ${sent.length} ingest requests\n`);
    console.log('| sent | requests | body bytes | KB/min | batch JSON bytes | JSON/body |');
    console.log('|---|---:|---:|---:|---:|---:|');
    row('gzip (CompressionStream; gzip-now.ts as the page goes)', gzip.length, sum(gzip, 'bytes'), sum(gzip, 'jsonBytes'));
    row('plain JSON', identity.length, sum(identity, 'bytes'), sum(identity, 'jsonBytes'));
    row('all requests', sent.length, wire, json);
    row('stored batches (server keeps gzip)', stored.batches, stored.gzipBytes, stored.jsonBytes);
    console.log(`\non the wire: ${kb(wire / minutes)} KB/min of request bodies; the batches' JSON: ${kb(json / minutes)} KB/min; JSON/wire: ${(json / wire).toFixed(2)}x`);
  } finally {
    await browser.close();
    await proxy.close();
    await frictionlens.stop();
  }
}

await main();
