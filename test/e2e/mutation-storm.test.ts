// End to end: a page rebuilding thousands of nodes many times a second pauses recording, which resumes once it is calm.
import { EventType, IncrementalSource, type eventWithTime, type mutationData } from '@rrweb/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORM_CALM_MS, STORM_MUTATIONS_PER_WINDOW, STORM_SUSTAINED_WINDOWS, STORM_WINDOW_MS } from '../../recorder/src/storm-detector';
import { CUSTOM_EVENT_TAGS, type StormPayload } from '../../recorder/src/wire/format';
import { startCountingProxy } from '../support/counting-proxy';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { normalizeText, replayToEnd } from '../support/replay-in-chromium';
import { waitFor } from '../support/start-frictionlens';

/** Storm ticks (50 ms apart at best) that must pass while rrweb is paused: proof the pause holds through a storm. */
const STORM_TICKS_WHILE_PAUSED = 20;
/** How long one step may wait for the recorder's event before the test is called hung. */
const STEP_TIMEOUT_MS = 40_000;

let recorded: RecordedSite;
beforeAll(async () => {
  recorded = await startRecordedSite();
});
afterAll(() => recorded?.close());

const isMutation = (e: eventWithTime) => e.type === EventType.IncrementalSnapshot && e.data.source === IncrementalSource.Mutation;

describe('a mutation storm', () => {
  it('pauses rrweb while it lasts and resumes from a fresh full snapshot once the page is calm', async () => {
    const proxy = await startCountingProxy(recorded.frictionlens.origin);
    recorded.tagAttributes = `data-endpoint="${proxy.origin}"`;
    try {
      const { page, errors } = await recorded.newPage();
      await page.goto(`${recorded.site.origin}/storm.html`);
      const [first] = await waitFor(async () => proxy.posts, (posts) => posts.length > 0);
      const sessionId = first!.sessionId;
      const sent = (text: string) => waitFor(async () => proxy.of(sessionId).some((post) => post.json.includes(text)), Boolean, STEP_TIMEOUT_MS);
      // 2000 spans with their texts, replaced every 50 ms: over 10,000 mutations a second. A storm
      // must be sustained (STORM_SUSTAINED_WINDOWS busy windows in a row) before rrweb is paused.
      await page.evaluate(() => (window as unknown as { startStorm(): void }).startStorm());
      await sent('"action":"paused"');
      // The storm goes on while rrweb is stopped, then the page is calm until the recorder resumes.
      const ticksAtPause = await page.evaluate(() => (window as unknown as { stormTicks: number }).stormTicks);
      await page.waitForFunction((n) => (window as unknown as { stormTicks: number }).stormTicks >= n, ticksAtPause + STORM_TICKS_WHILE_PAUSED);
      const lastStormAt = await page.evaluate(() => (window as unknown as { stopStorm(): number }).stopStorm());
      await sent('"action":"resumed"');
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
      // Lower bounds that follow from the detector's rules, however slowly the machine runs: the
      // resume waits for STORM_CALM_MS after the storm's last change...
      expect(resumed!.at - lastStormAt).toBeGreaterThanOrEqual(STORM_CALM_MS);
      // ...and the pause for the storm to fill its busy windows: rrweb recorded its start.
      const firstStormMutation = events.find((e) => isMutation(e) && (e.data as mutationData).adds.length >= 2000);
      expect(paused!.at - firstStormMutation!.timestamp).toBeGreaterThanOrEqual((STORM_SUSTAINED_WINDOWS - 2) * STORM_WINDOW_MS);

      // Nothing of the storm was serialized while paused; a full snapshot restarts the recording.
      expect(events.filter((e) => isMutation(e) && e.timestamp > paused!.at && e.timestamp < resumed!.at - 100)).toEqual([]);
      expect(events.filter((e) => e.type === EventType.FullSnapshot && e.timestamp > paused!.at)).toHaveLength(1);
      const replay = await replayToEnd(recorded.browser, events);
      expect(normalizeText(replay.text)).toContain('CALM-AGAIN-LINE');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      recorded.tagAttributes = '';
      await proxy.close();
    }
  }, 240_000); // a deadline for a hung run only: each step waits on the recorder's own events (it ran past 120 s in a full test run at load average 27)
});
