// End to end: a page rebuilding thousands of nodes many times a second pauses recording, which resumes once it is calm.
import { EventType, IncrementalSource, type eventWithTime, type mutationData } from '@rrweb/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORM_CALM_MS, STORM_MUTATIONS_PER_WINDOW, STORM_SUSTAINED_WINDOWS, STORM_WINDOW_MS } from '../../recorder/src/storm-detector';
import { CUSTOM_EVENT_TAGS, type StormPayload } from '../../recorder/src/wire/format';
import { callApi, isIngest, startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { normalizeText, replayToEnd } from '../support/replay-in-chromium';

let recorded: RecordedSite;
beforeAll(async () => {
  recorded = await startRecordedSite();
});
afterAll(() => recorded?.close());

const isMutation = (e: eventWithTime) => e.type === EventType.IncrementalSnapshot && e.data.source === IncrementalSource.Mutation;

describe('a mutation storm', () => {
  it('pauses rrweb while it lasts and resumes from a fresh full snapshot once the page is calm', async () => {
    recorded.tagAttributes = '';
    const { page, errors } = await recorded.newPage();
    await page.goto(`${recorded.site.origin}/storm.html`);
    await page.waitForRequest((request) => isIngest(request.url()));
    const sessionId = await callApi<string>(page, 'getSessionId');
    // 2000 spans with their texts, replaced every 50 ms: about 120,000 mutations a second for 6 s. A
    // storm must be sustained (STORM_SUSTAINED_WINDOWS busy windows in a row), so the pause comes 2 to
    // 3 s in, and the storm goes on for 3 s more while rrweb is stopped.
    await page.evaluate(() => (window as unknown as { storm(ms: number): Promise<void> }).storm(6000));
    // Calm for STORM_CALM_MS, checked once a second.
    await page.waitForTimeout(STORM_CALM_MS + 1500);
    await page.click('#calm');
    await page.goto('about:blank');

    const events = await recorded.events(sessionId, (stored) => JSON.stringify(stored).includes('CALM-AGAIN-LINE'));
    const storms = events.filter((e) => e.type === EventType.Custom && e.data.tag === CUSTOM_EVENT_TAGS.storm);
    const [paused, resumed] = storms.map((e) => ({ at: e.timestamp, ...(e.data as { payload: StormPayload }).payload }));
    expect(storms).toHaveLength(2);
    expect(paused).toMatchObject({ action: 'paused' });
    expect(paused!.mutations).toBeGreaterThan(STORM_MUTATIONS_PER_WINDOW);
    expect(resumed).toMatchObject({ action: 'resumed' });
    expect(resumed!.mutations).toBeGreaterThan(STORM_MUTATIONS_PER_WINDOW);
    expect(resumed!.at - paused!.at).toBeGreaterThanOrEqual(STORM_CALM_MS + 2000);
    // Not before the storm had filled its busy windows: rrweb recorded its start.
    const firstStormMutation = events.find((e) => isMutation(e) && (e.data as mutationData).adds.length >= 2000);
    expect(paused!.at - firstStormMutation!.timestamp).toBeGreaterThanOrEqual((STORM_SUSTAINED_WINDOWS - 2) * STORM_WINDOW_MS);

    // Nothing of the storm was serialized while paused; a full snapshot restarts the recording.
    expect(events.filter((e) => isMutation(e) && e.timestamp > paused!.at && e.timestamp < resumed!.at - 100)).toEqual([]);
    expect(events.filter((e) => e.type === EventType.FullSnapshot && e.timestamp > paused!.at)).toHaveLength(1);
    const replay = await replayToEnd(recorded.browser, events);
    expect(normalizeText(replay.text)).toContain('CALM-AGAIN-LINE');
    expect(errors).toEqual([]);
    await page.close();
  }, 45_000); // a 6 s storm, rrweb recording its first seconds, then calm and a replay
});
