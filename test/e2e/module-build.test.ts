// End to end: frictionlens.mjs, imported by a page from the frictionlens server: init() records, the exports are the API.
import { EventType } from '@rrweb/types';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitOptions } from '../../recorder/src/module';
import { CONFIG_PROBLEMS } from '../../recorder/src/recorder-config';
import { CUSTOM_EVENT_TAGS } from '../../recorder/src/wire/format';
import { customPayloads } from '../support/custom-payloads';
import { callOn, isIngest, sentToFrictionlens, startRecordedSite, type RecordedSite } from '../support/recorded-site';

const API_FUNCTIONS = ['consent', 'getReplayUrl', 'getSessionId', 'identify', 'start', 'stop', 'track'];

interface ModuleTest {
  before: { sessionId: string | null; replayUrl: string | null };
  exports: string[];
  api: string[] | null;
  sameApi: boolean;
}

let recorded: RecordedSite;
beforeAll(async () => {
  recorded = await startRecordedSite();
});
afterAll(() => recorded?.close());

async function openWith(page: Page, options: Partial<InitOptions>): Promise<ModuleTest> {
  const query = new URLSearchParams({ module: `${recorded.frictionlens.origin}/frictionlens.mjs`, options: JSON.stringify(options) });
  await page.goto(`${recorded.site.origin}/module.html?${query}`);
  await page.waitForFunction(() => 'moduleTest' in window);
  return page.evaluate(() => (window as unknown as { moduleTest: ModuleTest }).moduleTest);
}

/** Calls one of the module's exports (the fixture keeps them on window.frictionlensModule), not window.frictionlens. */
const callExport = <T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> =>
  callOn<T>(page, 'frictionlensModule', name, ...args);

describe('the ES module build', () => {
  it('records from init(), and its exports are the same API as window.frictionlens', async () => {
    const { page, errors } = await recorded.newPage();
    const firstBatch = page.waitForRequest((request) => isIngest(request.url()));
    const result = await openWith(page, { key: recorded.siteKey, endpoint: recorded.frictionlens.origin });
    expect(result.before).toEqual({ sessionId: null, replayUrl: null });
    expect(result.exports).toEqual([...API_FUNCTIONS, 'init'].sort());
    expect(result.api).toEqual(API_FUNCTIONS);
    expect(result.sameApi).toBe(true);
    await firstBatch;

    const sessionId = await callExport<string>(page, 'getSessionId');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await callExport<string>(page, 'getReplayUrl')).toMatch(
      new RegExp(`^${recorded.frictionlens.origin}/#/sessions/${sessionId}\\?t=\\d+$`),
    );
    await callExport(page, 'identify', 'module-user', { plan: 'team' });
    await callExport(page, 'track', 'module-event', { step: 2 });
    await page.evaluate(() => Object.assign(window, { nextLine: 'MODULE-LINE' }));
    await page.click('#add');
    await page.goto('about:blank');

    const events = await recorded.events(sessionId, (stored) => JSON.stringify(stored).includes('MODULE-LINE'));
    expect(events.filter((e) => e.type === EventType.FullSnapshot)).toHaveLength(1);
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.identify)).toEqual([{ userId: 'module-user', traits: { plan: 'team' } }]);
    expect(customPayloads(events, CUSTOM_EVENT_TAGS.track)).toEqual([{ name: 'module-event', props: { step: 2 } }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes the tag attributes as options: a sample rate of 0 records nothing', async () => {
    const { page, requests, errors } = await recorded.newPage();
    const result = await openWith(page, { key: recorded.siteKey, endpoint: recorded.frictionlens.origin, sampleRate: 0 });
    expect(result.api).toEqual(API_FUNCTIONS);
    await page.click('#add');
    await page.waitForTimeout(500);
    expect(await callExport(page, 'getSessionId')).toBeNull();
    await page.goto('about:blank');
    expect(sentToFrictionlens(requests, recorded.frictionlens.origin)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('returns null, says why on the console, and stays inert, when the options cannot work', async () => {
    const { page, requests, errors } = await recorded.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    const result = await openWith(page, { key: '', endpoint: recorded.frictionlens.origin });
    expect(result.api).toBeNull();
    expect(warnings).toEqual([`[frictionlens] ${CONFIG_PROBLEMS.noKey}`]);
    expect(await callExport(page, 'getSessionId')).toBeNull();
    expect(await page.evaluate(() => 'frictionlens' in window)).toBe(false);
    expect(sentToFrictionlens(requests, recorded.frictionlens.origin)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
