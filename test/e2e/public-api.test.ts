// End to end: window.frictionlens in a real page: identify/track land in the session, stop/start, replay links the viewer opens.
import { EventType, IncrementalSource } from '@rrweb/types';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../recorder/src/wire/format';
import { customPayloads } from '../support/custom-payloads';
import { callApi, isIngest, startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { normalizeText, replayToEnd } from '../support/replay-in-chromium';

let recorded: RecordedSite;
beforeAll(async () => {
  recorded = await startRecordedSite();
});
afterAll(() => recorded?.close());


async function addLine(page: Page, text: string): Promise<void> {
  await page.evaluate((line) => Object.assign(window, { nextLine: line }), text);
  await page.click('#add');
}

describe('window.frictionlens', () => {
  it('identify and track land in the session, flat and truncated; stop and start record in the same session', async () => {
    recorded.tagAttributes = '';
    const { page, errors } = await recorded.newPage();
    await page.goto(`${recorded.site.origin}/consent.html`);
    await page.waitForRequest((request) => isIngest(request.url()));
    const sessionId = await callApi<string>(page, 'getSessionId');

    await callApi(page, 'identify', 'user-42', { plan: 'pro', seats: 3, address: { city: 'Lyon' } });
    await callApi(page, 'track', 'checkout-started', { total: 99.5, note: 'x'.repeat(1000), items: ['a'] });
    // Never throws, whatever it is given.
    const thrown = await page.evaluate(() => {
      const api = (window as unknown as { frictionlens: Record<string, (...args: unknown[]) => unknown> }).frictionlens;
      const calls = [() => api.identify!(), () => api.track!({ not: 'a name' }), () => api.identify!(null, 5), () => api.getReplayUrl!(7)];
      return calls.filter((call) => {
        try {
          call();
          return false;
        } catch {
          return true;
        }
      }).length;
    });
    expect(thrown).toBe(0);

    await callApi(page, 'stop');
    expect(await callApi(page, 'getSessionId')).toBeNull();
    expect(await callApi(page, 'getReplayUrl')).toBeNull();
    await addLine(page, 'WHILE-STOPPED-LINE');
    await callApi(page, 'start');
    expect(await callApi(page, 'getSessionId')).toBe(sessionId);
    await addLine(page, 'AFTER-START-LINE');
    await page.goto('about:blank');

    const events = await recorded.events(sessionId, (stored) => JSON.stringify(stored).includes('AFTER-START-LINE'));
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.identify)).toContainEqual({ userId: 'user-42', traits: { plan: 'pro', seats: 3 } });
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.track)).toEqual([
      { name: 'checkout-started', props: { total: 99.5, note: 'x'.repeat(256) } },
    ]);
    // start() is a new rrweb recording: a second full snapshot (which shows the page as it is
    // then), and no change recorded while stopped.
    expect(events.filter((e) => e.type === EventType.FullSnapshot)).toHaveLength(2);
    const mutations = events.filter((e) => e.type === EventType.IncrementalSnapshot && e.data.source === IncrementalSource.Mutation);
    expect(JSON.stringify(mutations)).toContain('AFTER-START-LINE');
    expect(JSON.stringify(mutations)).not.toContain('WHILE-STOPPED-LINE');
    // rrweb numbers nodes on from the first recording; the replay still rebuilds the page from the second.
    const replay = await replayToEnd(recorded.browser, events);
    expect(normalizeText(replay.text)).toContain('WHILE-STOPPED-LINE\nAFTER-START-LINE');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replays calls a page queued on the stub before recorder.js loaded', async () => {
    recorded.tagAttributes = '';
    const { page } = await recorded.newPage();
    await page.goto(`${recorded.site.origin}/api-stub.html`);
    await page.waitForFunction(() => !('q' in (window as unknown as { frictionlens: object }).frictionlens));
    const sessionId = await callApi<string>(page, 'getSessionId');
    await page.goto('about:blank');
    const events = await recorded.events(sessionId, (stored) => customPayloads(stored, CUSTOM_EVENT_TAGS.track).length > 0);
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.identify)).toEqual([{ userId: 'early-user-7', traits: { plan: 'team' } }]);
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.track)).toEqual([{ name: 'loaded-early', props: { step: 1 } }]);
    await page.close();
  });

  it('getReplayUrl links to the session at this moment, and the viewer opens the replay there', async () => {
    recorded.tagAttributes = '';
    const { frictionlens, site, browser } = recorded;
    const { page } = await recorded.newPage();
    await page.goto(`${site.origin}/consent.html`);
    await page.waitForRequest((request) => isIngest(request.url()));
    await page.waitForTimeout(1000);
    await addLine(page, 'BEFORE-LINK-LINE');
    await page.waitForTimeout(500);
    const [link, linkedAt] = await page.evaluate(() => [
      (window as unknown as { frictionlens: { getReplayUrl(): string } }).frictionlens.getReplayUrl(),
      Date.now(),
    ] as const);
    const sessionId = await callApi<string>(page, 'getSessionId');
    await page.waitForTimeout(1500);
    await addLine(page, 'AFTER-LINK-LINE');
    await page.goto('about:blank');

    const match = /^(.+)\/#\/sessions\/([\w-]+)\?t=(\d+)$/.exec(link);
    expect(match?.slice(1, 3)).toEqual([frictionlens.origin, sessionId]);
    const events = await recorded.events(sessionId, (stored) => JSON.stringify(stored).includes('AFTER-LINK-LINE'));
    const sinceFirstEvent = linkedAt - events[0]!.timestamp;
    expect(Math.abs(Number(match![3]) - sinceFirstEvent)).toBeLessThan(500);

    const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await viewer.goto(`${frictionlens.origin}/#token=${frictionlens.adminToken}`);
    await viewer.waitForSelector('a.brand');
    await viewer.goto(link);
    const frame = await replayFrame(viewer);
    // At t the line added before the link shows, the one added after does not (at 0 neither would, at the end both).
    await expect.poll(() => frame.textContent('#lines'), { timeout: 30_000 }).toContain('BEFORE-LINK-LINE');
    expect(await frame.textContent('#lines')).not.toContain('AFTER-LINK-LINE');
    await viewer.close();
    await page.close();
    // A recorded visit, its storage and a viewer opening it: a guard against a hang, not a time limit.
  }, 60_000);
});

async function replayFrame(viewer: Page): Promise<Frame> {
  const handle = await viewer.waitForSelector('.player iframe', { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('replay iframe has no document');
  return frame;
}
