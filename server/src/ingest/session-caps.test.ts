// What one session may store, and what a batch may claim about time and its page's URL, through the real ingest route.
import type { Hono } from 'hono';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeAppOnBothBackends, storedCounts, type BackendTestApp } from '../testing/backend-test-app';
import { gzipJson, makeBatch, postIngest, sampleEvents, SHOP_ORIGIN } from '../testing/test-app';
import { MAX_CLOCK_AHEAD_MS } from './clock-bounds';
import { MAX_EVENTS_PER_SESSION, MAX_INFLATED_BYTES_PER_SESSION, MAX_PAGES_PER_SESSION, MAX_SESSION_SPAN_MS } from './session-caps';

let t: BackendTestApp;
let app: Hono;

const T0 = 1_700_000_000_000;
const HOUR_MS = 3_600_000;

/** A session as if much had been stored already (this app has never seen it, so it is looked up). */
async function seedSession(totals: { eventCount?: number; pageCount?: number; inflatedBytes?: number; startedAt?: number; endedAt?: number }): Promise<void> {
  const { eventCount = 4, pageCount = 1, inflatedBytes = 1000, startedAt = T0, endedAt = T0 + 30 } = totals;
  await t.exec(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at, inflated_bytes)
     VALUES ('session-0001', ?, ?, ?, ?, ?, ?, 'desktop', ?, ?, ?)`,
    [t.site.id, startedAt, endedAt, pageCount, eventCount, `${SHOP_ORIGIN}/`, T0, T0, inflatedBytes],
  );
  await t.repos.pages.insert({ sessionId: 'session-0001', pageId: 'page-0001', url: `${SHOP_ORIGIN}/`, startedAt });
}

async function codeOf(res: Response): Promise<[number, string]> {
  return [res.status, res.status === 200 ? 'stored' : ((await res.json()) as { error: { code: string } }).error.code];
}

const post = (batch: ReturnType<typeof makeBatch>) => postIngest(app, t.site.key, gzipJson(batch));

// One database per backend for the file (a PostgreSQL copy for each of these short tests cost more
// than the tests): each test starts with no recordings, and an app that has seen none (SQLite's
// store remembers the sessions it wrote).
describeAppOnBothBackends(
  'session caps',
  (backend) => {
    beforeAll(() => {
      t = backend();
    });
    beforeEach(async () => {
      for (const table of ['analysis_queue', 'chunks', 'pages', 'sessions']) await t.exec(`DELETE FROM ${table}`);
      app = t.appWith({ logError: (_message, err) => t.errors.push(err) });
    });

    describe('per-session caps', () => {
      it('refuse with 413 session_limit the batch that would pass the event cap, first looked up, then remembered', async () => {
        await seedSession({ eventCount: MAX_EVENTS_PER_SESSION - 3 });
        expect(await codeOf(await post(makeBatch({ seq: 1, events: sampleEvents(T0 + 1000, 4) })))).toEqual([413, 'session_limit']);
        expect(await codeOf(await post(makeBatch({ seq: 1, events: sampleEvents(T0 + 1000, 3) })))).toEqual([200, 'stored']);
        expect(await codeOf(await post(makeBatch({ seq: 2, events: sampleEvents(T0 + 2000, 1) })))).toEqual([413, 'session_limit']);
        expect((await t.repos.sessions.get('session-0001'))?.eventCount).toBe(MAX_EVENTS_PER_SESSION);
        expect((await storedCounts(t)).chunks).toBe(1);
      });

      it('refuse the batch that would pass the inflated bytes the session may hold', async () => {
        await seedSession({ inflatedBytes: MAX_INFLATED_BYTES_PER_SESSION - 2000 });
        const small = makeBatch({ seq: 1, events: sampleEvents(T0 + 1000, 2) });
        expect(JSON.stringify(small).length).toBeLessThan(2000);
        expect(await codeOf(await post(small))).toEqual([200, 'stored']);
        const large = makeBatch({ seq: 2, events: sampleEvents(T0 + 2000, 40) });
        expect(JSON.stringify(large).length).toBeGreaterThan(2000);
        expect(await codeOf(await post(large))).toEqual([413, 'session_limit']);
        const [{ inflated_bytes: stored }] = (await t.rows<{ inflated_bytes: number }>('SELECT inflated_bytes FROM sessions')) as [{ inflated_bytes: number }];
        expect(stored).toBe(MAX_INFLATED_BYTES_PER_SESSION - 2000 + JSON.stringify(small).length);
      });

      it('refuse a page load past the page cap, while the pages already stored go on', async () => {
        await seedSession({ pageCount: MAX_PAGES_PER_SESSION });
        expect(await codeOf(await post(makeBatch({ seq: 1, pageId: 'page-new01' })))).toEqual([413, 'session_limit']);
        expect(await codeOf(await post(makeBatch({ seq: 1, events: sampleEvents(T0 + 1000) })))).toEqual([200, 'stored']);
      });

      it('refuse a batch that would stretch the session over its span cap, into the future or back to 1970', async () => {
        await seedSession({});
        const late = makeBatch({ seq: 1, events: sampleEvents(T0 + MAX_SESSION_SPAN_MS + 1000) });
        expect(await codeOf(await post(late))).toEqual([413, 'session_limit']);
        expect(await codeOf(await post(makeBatch({ seq: 0, events: sampleEvents(0) })))).toEqual([413, 'session_limit']);
        expect(await codeOf(await post(makeBatch({ seq: 1, events: sampleEvents(T0 + MAX_SESSION_SPAN_MS - 1000) })))).toEqual([200, 'stored']);
      });

      it('refuse a first batch that alone spans more than the cap', async () => {
        const events = [...sampleEvents(T0, 2), { ...sampleEvents(T0 + MAX_SESSION_SPAN_MS + 1)[2]! }];
        expect(await codeOf(await post(makeBatch({ events })))).toEqual([413, 'session_limit']);
        expect(await storedCounts(t)).toEqual({ sessions: 0, pages: 0, chunks: 0 });
      });
    });

    describe('time a batch claims', () => {
      it(`is refused when an event is dated more than ${MAX_CLOCK_AHEAD_MS / 60_000} minutes ahead of the server's clock`, async () => {
        const now = Date.now();
        expect(await codeOf(await post(makeBatch({ events: sampleEvents(now + MAX_CLOCK_AHEAD_MS + 60_000) })))).toEqual([400, 'timestamp_out_of_range']);
        // The year 2223, and a date past what Date can show.
        expect(await codeOf(await post(makeBatch({ events: sampleEvents(Date.UTC(2223, 0, 1)) })))).toEqual([400, 'timestamp_out_of_range']);
        expect(await codeOf(await post(makeBatch({ events: sampleEvents(Number.MAX_SAFE_INTEGER - 100) })))).toEqual([400, 'timestamp_out_of_range']);
        expect(await storedCounts(t)).toEqual({ sessions: 0, pages: 0, chunks: 0 });
        // A clock a few minutes fast is not refused.
        expect(await codeOf(await post(makeBatch({ events: sampleEvents(now + 5 * 60_000) })))).toEqual([200, 'stored']);
        expect(t.errors).toEqual([]);
      });

      it("moves the session's start and entry URL only for a batch that comes first in seq order", async () => {
        const entry = `${SHOP_ORIGIN}/landing`;
        expect(await codeOf(await post(makeBatch({ seq: 2, url: entry, events: sampleEvents(T0, 4, entry) })))).toEqual([200, 'stored']);
        // A later batch dated an hour before the session: stored, but it cannot claim to be its start.
        const forged = `${SHOP_ORIGIN}/forged`;
        expect(await codeOf(await post(makeBatch({ seq: 3, pageId: 'page-forged', url: forged, events: sampleEvents(T0 - HOUR_MS, 4, forged) })))).toEqual([200, 'stored']);
        expect(await t.repos.sessions.get('session-0001')).toMatchObject({ startedAt: T0, entryUrl: entry });
        // The same claim from the known session's short path.
        expect(await codeOf(await post(makeBatch({ seq: 4, pageId: 'page-forged', url: forged, events: sampleEvents(T0 - 2 * HOUR_MS, 4, forged) })))).toEqual([200, 'stored']);
        expect(await t.repos.sessions.get('session-0001')).toMatchObject({ startedAt: T0, entryUrl: entry });
        // Seq 1, delivered late from the browser's queue, is the session's real beginning.
        const first = `${SHOP_ORIGIN}/first`;
        expect(await codeOf(await post(makeBatch({ seq: 1, pageId: 'page-first', url: first, events: sampleEvents(T0 - 60_000, 4, first) })))).toEqual([200, 'stored']);
        expect(await t.repos.sessions.get('session-0001')).toMatchObject({ startedAt: T0 - 60_000, entryUrl: first });
      });
    });

    describe('the page URL of a batch', () => {
      it.each(['javascript:alert(document.cookie)', 'JavaScript:alert(1)', ' https://shop.example/', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'https:/shop.example', 'ftp://shop.example/'])(
        'is refused with 400 when it is %s',
        async (url) => {
          const res = await post(makeBatch({ url }));
          expect(res.status).toBe(400);
          const body = (await res.json()) as { error: { code: string; message: string } };
          expect(body.error).toEqual({ code: 'invalid_batch', message: expect.stringMatching(/^Invalid batch: url: /) });
          expect(await storedCounts(t)).toEqual({ sessions: 0, pages: 0, chunks: 0 });
        },
      );

      it.each(['http://localhost:8787/demo/', 'HTTPS://shop.example/cart?x=1#top'])('is stored when it is %s', async (url) => {
        expect(await codeOf(await post(makeBatch({ url })))).toEqual([200, 'stored']);
        expect((await t.repos.sessions.get('session-0001'))?.entryUrl).toBe(url);
      });
    });
  },
  () => ({}),
  'file',
);
