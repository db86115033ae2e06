// End to end: consent gates everything, secrets never reach a stored byte, and marked elements are masked or blocked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EventType, IncrementalSource, type eventWithTime, type serializedNodeWithId } from '@rrweb/types';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER } from '../../recorder/src/privacy/privacy-options';
import { startCountingProxy } from '../support/counting-proxy';
import { analysisState } from '../support/delivery-audit';
import { callApi, isIngest, sentToFrictionlens, startRecordedSite, storedKeys, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

/** In the page's URL, which the server stores as text: found in the raw database files, it shows the raw search works. */
const RAW_PROBE = 'RAW-PROBE-5521';

/** The batches waiting in the browser's queue (localStorage "frictionlens.q.*": "<at> <events> <base64 gzip or JSON>"), as JSON. */
async function browserQueue(page: Page): Promise<string[]> {
  const values = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('frictionlens.q.')).map((k) => localStorage.getItem(k)!));
  return values.map((value) => {
    const body = value.split(' ').slice(2).join(' ');
    return body.startsWith('{') ? body : gunzipSync(Buffer.from(body, 'base64')).toString('utf8');
  });
}

/** Long enough for the first snapshot's batch to be compressed and posted, were anything recording. */
const QUIET_MS = 2000;

let recorded: RecordedSite;
beforeAll(async () => {
  recorded = await startRecordedSite();
});
afterAll(() => recorded?.close());

describe('consent', () => {
  it('with data-consent="required" sends and stores nothing until consent(true), then records, remembered for the session', async () => {
    recorded.tagAttributes = 'data-consent="required"';
    const { frictionlens, site } = recorded;
    const { page, requests, errors } = await recorded.newPage();
    await page.goto(`${site.origin}/consent.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.click('#add');
    await page.waitForTimeout(QUIET_MS);
    expect(sentToFrictionlens(requests, frictionlens.origin)).toEqual([]);
    expect(await storedKeys(page)).toEqual({});
    expect(await callApi(page, 'getSessionId')).toBeNull();

    const firstBatch = page.waitForRequest((request) => isIngest(request.url()));
    await callApi(page, 'consent', true);
    await firstBatch;
    const sessionId = await callApi<string>(page, 'getSessionId');
    expect(sessionId).toMatch(/^[\w-]{8,64}$/);
    expect(await storedKeys(page)).toMatchObject({ 'frictionlens.consent': '1' });

    // The next page load of the session records without asking again.
    const secondPage = page.waitForRequest((request) => isIngest(request.url()));
    await page.click('#next');
    await secondPage;
    expect(await callApi(page, 'getSessionId')).toBe(sessionId);
    await page.goto('about:blank');
    const events = await recorded.events(sessionId, (stored) => stored.filter((e) => e.type === EventType.FullSnapshot).length === 2);
    expect(events.length).toBeGreaterThan(4);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('consent(false) stops, drops what is buffered and wipes the session, and the refusal holds on the next page load', async () => {
    recorded.tagAttributes = '';
    const { frictionlens, site } = recorded;
    const { page, requests } = await recorded.newPage();
    await page.goto(`${site.origin}/consent.html`);
    await page.waitForRequest((request) => isIngest(request.url()));
    const sessionId = await callApi<string>(page, 'getSessionId');
    expect(Object.keys(await storedKeys(page))).toContain('frictionlens.session');

    await page.evaluate(() => Object.assign(window, { nextLine: 'DISCARDED-LINE-4471' }));
    await page.click('#add');
    const sentBefore = sentToFrictionlens(requests, frictionlens.origin).length;
    await callApi(page, 'consent', false);
    expect(await callApi(page, 'getSessionId')).toBeNull();
    expect(await storedKeys(page)).toEqual({ 'frictionlens.consent': '0' });
    await page.click('#add');
    await page.waitForTimeout(QUIET_MS);
    await page.reload();
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.click('#add');
    await page.waitForTimeout(QUIET_MS);
    expect(sentToFrictionlens(requests, frictionlens.origin).slice(sentBefore)).toEqual([]);
    expect(await callApi(page, 'getSessionId')).toBeNull();
    await page.goto('about:blank');

    const events = await recorded.events(sessionId, (stored) => stored.length > 0);
    expect(JSON.stringify(events)).not.toContain('DISCARDED-LINE-4471');
    await page.close();
  });

  it('records nothing under Global Privacy Control, unless the tag opts out with data-respect-gpc="false"', async () => {
    const { frictionlens, site } = recorded;
    for (const [attributes, expectRecording] of [
      ['', false],
      ['data-consent="required"', false],
      ['data-respect-gpc="false"', true],
    ] as const) {
      recorded.tagAttributes = attributes;
      const { page, requests } = await recorded.newPage();
      await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
      await page.goto(`${site.origin}/consent.html`);
      await page.waitForFunction(() => 'frictionlens' in window);
      await callApi(page, 'consent', true);
      await page.click('#add');
      await page.waitForTimeout(QUIET_MS);
      expect(sentToFrictionlens(requests, frictionlens.origin).some(isIngest), attributes).toBe(expectRecording);
      expect(Object.keys(await storedKeys(page)).length > 0, attributes).toBe(expectRecording);
      await page.close();
    }
  });
});

describe('privacy by default', () => {
  const TYPED = {
    email: 'grace.secret@example.org',
    colour: 'Blue-ish-8812',
    password: 'Sup3r-Secret-Pw-551',
    card: '4111 1111 1111 1111',
    cvc: 'CVC-SECRET-404',
    expiry: 'EXP-SECRET-12/29',
    notes: 'notes-secret-text-77',
  };
  /** Nothing of these may be in any stored byte. */
  const SECRETS = [
    TYPED.email,
    TYPED.password,
    TYPED.card,
    TYPED.card.replaceAll(' ', ''),
    TYPED.cvc,
    TYPED.expiry,
    TYPED.notes,
    'HIDDEN-TOKEN-VALUE-91',
    'GRAND-SECRET-BALANCE',
    'LATER-SECRET-BALANCE',
    'BLOCKED-PROMO-CONTENT',
    'LATER-BLOCKED-CONTENT',
  ];

  it('keeps typed secrets, masked text and blocked elements out of every stored byte: server and browser queue', async () => {
    const { frictionlens, site } = recorded;
    // Between the page and the server, a proxy that tells when the page's last batch is stored.
    const proxy = await startCountingProxy(frictionlens.origin);
    recorded.tagAttributes = `data-endpoint="${proxy.origin}"`;
    const { page, errors } = await recorded.newPage();
    try {
      await page.goto(`${site.origin}/privacy.html?probe=${RAW_PROBE}`);
      const [first] = await waitFor(async () => proxy.posts, (posts) => posts.length > 0);
      const sessionId = first!.sessionId;
      // Offline, every batch waits in the browser's localStorage, where it is searched too.
      await page.context().setOffline(true);
      for (const [field, value] of Object.entries(TYPED)) {
        await page.locator(`#${field}`).pressSequentially(value); // key by key, as a person types
        await page.click('#title'); // blur: rrweb records an input's final value on change
      }
      const promo = await page.evaluate(() => document.getElementById('promo')!.getBoundingClientRect().toJSON() as DOMRect);
      await page.click('#reveal');
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
        delete (document as { visibilityState?: unknown }).visibilityState;
      });
      const queued = await waitFor(() => browserQueue(page), (batches) => batches.join('\n').includes('Footer after reveal'));
      const inBrowser = queued.join('\n');
      expect(inBrowser).toContain(TYPED.colour); // positive control
      const browserStorage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
      for (const secret of SECRETS) {
        expect(inBrowser, secret).not.toContain(secret);
        expect(browserStorage, secret).not.toContain(secret);
      }
      await page.context().setOffline(false);
      await page.goto('about:blank');

      // Searched once the page's last batch is stored and the analysis pass has read every batch.
      const dbPath = join(frictionlens.dataDir, 'frictionlens.db');
      await waitFor(async () => proxy.of(sessionId), (posts) => posts.some((post) => post.final && post.status === 200));
      await waitFor(async () => analysisState(dbPath), (state) => state.queued === 0);
      const events = await recorded.events(sessionId, (stored) => stored.length > 0);
      const json = JSON.stringify(events);
      // Positive controls: what may be recorded is, so the searches below look in the right place.
      expect(json).toContain(TYPED.colour);
      expect(json).toContain('Visible footer text');
      expect(json).toContain('Footer after reveal');

      // Every stored byte: the database and its WAL as files, and every chunk inflated.
      const files = [dbPath, `${dbPath}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path));
      expect(files.some((file) => file.includes(RAW_PROBE))).toBe(true); // the raw search finds what is stored as text
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      const chunks = db.prepare('SELECT body FROM chunks').all() as Array<{ body: Buffer }>;
      db.close();
      expect(chunks.length).toBeGreaterThan(0);
      const inflated = chunks.map(({ body }) => gunzipSync(body).toString('utf8')).join('\n');
      expect(inflated).toContain(TYPED.colour);
      for (const secret of SECRETS) {
        expect(json, secret).not.toContain(secret);
        expect(inflated, secret).not.toContain(secret);
        for (const file of files) expect(file.includes(secret), secret).toBe(false);
      }

      // Values as recorded: sensitive ones as a fixed placeholder (not even their length), others as asterisks.
      const snapshot = events.find((e) => e.type === EventType.FullSnapshot)!;
      const ids = new Map<string, number>();
      let promoNode: serializedNodeWithId | undefined;
      walk(snapshot.data.node as serializedNodeWithId, (node) => {
        if (node.type !== 2) return;
        if (typeof node.attributes.id === 'string') ids.set(node.attributes.id, node.id);
        // rrweb keeps only the class and the size of a blocked element.
        if ('rr_width' in node.attributes) promoNode = node;
      });
      const lastInput = (field: string) =>
        events
          .filter((e) => e.type === EventType.IncrementalSnapshot && e.data.source === IncrementalSource.Input && e.data.id === ids.get(field))
          .map((e) => (e.data as { text: string }).text)
          .at(-1);
      expect(lastInput('email')).toBe('*'.repeat(TYPED.email.length));
      expect(lastInput('colour')).toBe(TYPED.colour);
      for (const field of ['password', 'card', 'cvc', 'expiry']) expect(lastInput(field), field).toBe(SENSITIVE_PLACEHOLDER);

      // The blocked element is an empty box of its live size.
      expect(promoNode).toMatchObject({ tagName: 'div', attributes: { rr_width: `${promo.width}px`, rr_height: `${promo.height}px` }, childNodes: [] });
      expect(errors).toEqual([]);
    } finally {
      recorded.tagAttributes = '';
      await page.close();
      await proxy.close();
    }
  }, 90_000);

  it('with data-mask-text="all" records the page structure without its text', async () => {
    recorded.tagAttributes = 'data-mask-text="all"';
    const { page } = await recorded.newPage();
    await page.goto(`${recorded.site.origin}/privacy.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.click('#reveal');
    const sessionId = await callApi<string>(page, 'getSessionId');
    await page.goto('about:blank');
    const events = await recorded.events(sessionId, (stored) => stored.some((e) => e.type === EventType.IncrementalSnapshot && e.data.source === IncrementalSource.Mutation));
    const json = JSON.stringify(events);
    expect(json).toContain('"id":"title"');
    expect(json).toContain('****');
    for (const text of ['Pay for your order', 'Visible footer text', 'Footer after reveal']) expect(json).not.toContain(text);
    await page.close();
  });
});

function walk(node: serializedNodeWithId, visit: (node: serializedNodeWithId) => void): void {
  visit(node);
  if ('childNodes' in node) for (const child of node.childNodes) walk(child, visit);
}
