// End to end: every 5 minutes of one page load the recorder sends a fresh full snapshot at once, and the server lists it as a place a replay can start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { eventWithTime } from '@rrweb/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT_EVERY_MS } from '../../recorder/src/recording-engine';
import { CUSTOM_EVENT_TAGS } from '../../recorder/src/wire/format';
import type { SessionBatchList } from '../../server/src/api-types';
import { startCountingProxy, type CountingProxy } from '../support/counting-proxy';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

/**
 * rrweb keeps a reference to Date.now when it loads, and checks for a checkout against it at each
 * incremental event: a clock the test moves on, installed before the recorder, stands for the
 * minutes a visitor spends on the page.
 */
const PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8"><title>Long page</title>
    <script>
      (function () {
        var realNow = Date.now, shift = 0;
        Date.now = function () { return realNow() + shift; };
        window.shiftClock = function (ms) { shift += ms; };
      })();
    </script>
    <!--RECORDER-->
  </head>
  <body>
    <h1>Long page</h1>
    <button id="add" type="button">Add</button>
    <ol id="items"></ol>
    <script>
      var count = 0;
      document.getElementById('add').addEventListener('click', function () {
        var li = document.createElement('li');
        li.textContent = 'Entry ' + ++count;
        document.getElementById('items').appendChild(li);
      });
    </script>
  </body>
</html>
`;

describe('periodic full snapshots (checkoutEveryNms)', () => {
  let recorded: RecordedSite;
  let pagesDir: string;
  let proxy: CountingProxy;

  beforeAll(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'frictionlens-checkout-'));
    writeFileSync(join(pagesDir, 'long.html'), PAGE);
    recorded = await startRecordedSite(pagesDir);
    proxy = await startCountingProxy(recorded.frictionlens.origin);
    recorded.tagAttributes = `data-endpoint="${proxy.origin}"`;
  });

  afterAll(async () => {
    await proxy?.close();
    await recorded?.close();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  it('sends a checkout at once after 5 minutes in a batch of its own, listed with its snapshot time; one page view, one final batch', async () => {
    const { page, errors } = await recorded.newPage();
    await page.goto(`${recorded.site.origin}/long.html`);
    const [first] = await waitFor(async () => proxy.posts, (posts) => posts.length > 0);
    const sessionId = first!.sessionId;
    await page.click('#add');
    await page.evaluate((ms) => (window as unknown as { shiftClock(ms: number): void }).shiftClock(ms), CHECKOUT_EVERY_MS + 1000);
    await page.click('#add'); // the first change after 5 minutes: rrweb takes its checkout there
    // Sent at once, as the page's first snapshot is: no flush timer, no hidden tab.
    const { batches } = await waitFor(
      () => recorded.frictionlens.api<SessionBatchList>(`/api/sessions/${sessionId}/batches`),
      (list) => list.batches.filter((batch) => batch.snapshotTs !== null).length === 2,
    );
    const [load, checkout] = batches.filter((batch) => batch.snapshotTs !== null);
    expect(load!.seq).toBe(0);
    expect(checkout!.pageId).toBe(load!.pageId);
    expect(checkout!.snapshotTs! - load!.snapshotTs!).toBeGreaterThan(CHECKOUT_EVERY_MS);
    // The checkout's batch starts with its Meta: a replay from there needs nothing before it.
    expect(checkout!.firstTs).toBe(checkout!.snapshotTs);

    await page.click('#add');
    await page.goto('about:blank');
    const events = await recorded.events(sessionId, (stored) => JSON.stringify(stored).includes('Entry 3'));
    const custom = (tag: string) => events.filter((e: eventWithTime) => e.type === 5 && (e.data as { tag: string }).tag === tag);
    expect(events.filter((e) => e.type === 2)).toHaveLength(2);
    expect(custom(CUSTOM_EVENT_TAGS.pageView)).toHaveLength(1);
    await waitFor(async () => proxy.of(sessionId), (posts) => posts.some((post) => post.final && post.status === 200));
    expect(proxy.of(sessionId).filter((post) => post.final)).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
