// End to end: a page with the script tag is recorded across two page loads, stored, and replays the same.
import type { eventWithTime } from '@rrweb/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail, SessionList } from '../../server/src/api-types';
import { normalizeText, replayToEnd } from '../support/replay-in-chromium';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

const TYPED_PASSWORD = 'Sup3r-secret-passw0rd';
const TYPED_NAME = 'Grace Hopper';

describe('a visit recorded by the script tag', () => {
  let recorded: RecordedSite;
  beforeAll(async () => {
    recorded = await startRecordedSite();
  });
  afterAll(() => recorded?.close());

  it('stores both page loads in one session and replays to the same visible text', async () => {
    const { frictionlens, site, browser, siteId } = recorded;
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${site.origin}/form.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.fill('#name', TYPED_NAME);
    await page.fill('#password', TYPED_PASSWORD);
    await page.click('#submit');
    for (let i = 0; i < 3; i++) await page.click('#add-item');
    await page.click('#next');
    await page.waitForSelector('#choose');
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.click('#choose');
    await page.fill('#note', 'leave it at the door');
    const liveText = normalizeText(await page.evaluate(() => document.body.innerText));
    const liveSessionId = await page.evaluate(() =>
      (window as unknown as { frictionlens: { getSessionId(): string } }).frictionlens.getSessionId(),
    );
    // Leaving the page fires pagehide, which flushes the last batch with keepalive.
    await page.goto('about:blank');
    await page.close();

    const list = await waitFor(
      () => frictionlens.api<SessionList>(`/api/sessions?site=${siteId}`),
      (sessions) => sessions.sessions.some((s) => s.pageCount === 2),
    );
    expect(list.sessions).toHaveLength(1);
    const [summary] = list.sessions;
    expect(summary!.id).toBe(liveSessionId);
    expect(summary!.entryUrl).toBe(`${site.origin}/form.html`);
    expect(summary!.browser).toMatch(/^Chrome/); // headless Chromium reports "Chrome Headless"

    const detail = await frictionlens.api<SessionDetail>(`/api/sessions/${liveSessionId}`);
    expect(detail.pages.map((p) => new URL(p.url).pathname)).toEqual(['/form.html', '/next.html']);

    // The final batch may land a moment after the session shows two pages.
    const events = await waitFor(
      () => frictionlens.api<eventWithTime[]>(`/api/sessions/${liveSessionId}/events`),
      (stored) => JSON.stringify(stored).includes('You chose the blue one.'),
    );
    const fullSnapshots = events.filter((event) => event.type === 2);
    expect(fullSnapshots).toHaveLength(2);
    const timestamps = events.map((event) => event.timestamp);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));

    const replay = await replayToEnd(browser, events);
    expect(replay.title).toBe('Fixture: second page');
    expect(normalizeText(replay.text)).toBe(liveText);

    // Inputs are masked by default: nothing typed reaches the server.
    const stored = JSON.stringify(events);
    expect(stored).not.toContain(TYPED_PASSWORD);
    expect(stored).not.toContain(TYPED_NAME);
    expect(stored).not.toContain('leave it at the door');
    expect(pageErrors).toEqual([]);
  });
});
