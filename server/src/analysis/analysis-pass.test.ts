import { gzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { SqliteError } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { FrictionType } from '../api-types';
import type { Detector } from '../detectors/detected-friction';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, TEST_ADMIN_TOKEN, type TestApp } from '../testing/test-app';
import type { BatchConsumer } from './batch-consumer';
import { sqliteTransactions } from './analysis-transactions';
import { createBatchConsumers } from './batch-consumers';
import { createAnalysisPass, MAX_ANALYSIS_ATTEMPTS, WRITE_CHUNK, type AnalysisPassDeps } from './analysis-pass';

const T0 = 1_700_000_000_000;
const IDLE_MS = 60_000;
let t: TestApp;
let clock: number;
beforeEach(() => {
  t = createTestApp();
  clock = Date.now();
});
afterEach(() => t.close());

/** Flags one dead click per click signal, so a test can see which signals detection saw. */
const perClick: Detector = ({ signals }) =>
  signals.flatMap((s) => (s.k === 'click' ? [{ type: 'dead_click' as const, ts: s.t, url: '', selector: s.sel, reason: `clicked ${s.sel}`, details: { windowMs: 1, lookedFor: [] } }] : []));
/** Flags form abandonment only on complete pages, like the real detector. */
const onComplete: Detector = ({ complete, signals }) =>
  complete ? [{ type: 'form_abandonment' as const, ts: signals[0]!.t, url: '', selector: '#form', reason: 'left', details: { form: '#form', fieldsTouched: [], dropOffField: null, timeSpentMs: 0, validationErrors: [], clearedFields: [], blockedSubmits: 0, ending: 'left-page' as const } }] : [];
const testDetectors = (extra: Array<{ type: FrictionType; detect: Detector }> = []) => [
  { type: 'dead_click' as const, detect: perClick },
  { type: 'form_abandonment' as const, detect: onComplete },
  ...extra,
];

function pass(overrides: Partial<AnalysisPassDeps> = {}) {
  return createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: IDLE_MS, detectors: testDetectors(), now: () => clock, log: () => {}, ...overrides });
}

const click = (ts: number, selector: string) =>
  ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 1, y: 1, viewportWidth: 1, viewportHeight: 1, documentWidth: 1, documentHeight: 1, selector, offsetX: 0, offsetY: 0, fixed: false } } }) as eventWithTime;

async function ingest(seq: number, events: eventWithTime[], extra: Record<string, unknown> = {}): Promise<void> {
  const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events, ...extra })));
  expect(res.status).toBe(200);
}

const count = (sql: string) => t.db.prepare(sql).pluck().get() as number;

describe('analysis pass', () => {
  it('queues each stored batch in its transaction, once, and analyses it once', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]); // a retry: stored once, queued once
    await ingest(1, [click(T0 + 100, '#b')]);
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(2);

    const result = await pass().run();
    expect(result).toMatchObject({ batches: 2, skipped: 0, pages: 1 });
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(0);
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.selector)).toEqual(['#a', '#b']);
    expect((await pass().run()).batches).toBe(0);
  });

  it('writes a claim larger than one transaction holds in several, batches and judged pages alike, and clears the queue', async () => {
    // Sessions of two batches each: more batches and more pages than WRITE_CHUNK.
    const sessions = WRITE_CHUNK + 3;
    for (let n = 0; n < sessions; n++) {
      for (const seq of [0, 1]) {
        const events = seq === 0 ? [...sampleEvents(T0), click(T0 + 50, `#s${n}`)] : [click(T0 + 100, `#s${n}b`)];
        const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: `session-${1000 + n}`, pageId: `page-${1000 + n}`, seq, events })));
        expect(res.status).toBe(200);
      }
    }
    const result = await pass().run();
    expect(result).toMatchObject({ batches: sessions * 2, skipped: 0, pages: sessions });
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(0);
    expect(count('SELECT count(*) FROM page_signals')).toBe(sessions * 2);
    for (let n = 0; n < sessions; n++) expect(t.repos.friction.listBySession(`session-${1000 + n}`).map((f) => f.selector)).toEqual([`#s${n}`, `#s${n}b`]);
  });

  it('decodes a batch once and hands it to every consumer', async () => {
    await ingest(0, sampleEvents(T0));
    const seen: string[] = [];
    const spy: BatchConsumer<number> = {
      name: 'spy',
      read: (batch) => (seen.push(`${batch.sessionId}/${batch.seq}/${batch.pageId}/${batch.siteId}`), batch.events.length),
      write: async (batch, n) => void seen.push(`wrote ${n}`),
    };
    await pass({ consumers: [...createBatchConsumers(t.repos, () => clock), spy] }).run();
    expect(seen).toEqual([`session-0001/0/page-0001/${t.site.id}`, 'wrote 4']);
    expect(count('SELECT count(*) FROM page_signals')).toBe(1);
  });

  it('fills each flag with its page and URL, counts per session, and a frustration score', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a'), click(T0 + 60, '#b')]);
    await pass().run();
    const [flag] = t.repos.friction.listBySession('session-0001');
    expect(flag).toMatchObject({ type: 'dead_click', pageId: 'page-0001', url: 'https://shop.example/', reason: 'clicked #a' });
    const session = t.repos.sessions.get('session-0001')!;
    expect(session.friction).toEqual({ rage_click: 0, dead_click: 2, form_abandonment: 0, error_loop: 0 });
    expect(session.frustrationScore).toBe(2); // 1 × (1 + log2 2)
  });

  it('judges a page complete once its final batch and every batch before it are analysed', async () => {
    await ingest(0, sampleEvents(T0));
    await ingest(2, [click(T0 + 500, '#x')], { final: true });
    await pass().run();
    // seq 1 is missing: not complete, no abandonment yet.
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.type)).toEqual(['dead_click']);
    await ingest(1, [click(T0 + 200, '#y')]);
    await pass().run();
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.type).sort()).toEqual(['dead_click', 'dead_click', 'form_abandonment']);
    expect(count('SELECT count(*) FROM pages WHERE completed_at IS NOT NULL')).toBe(1);
  });

  it('completes the pages of a session idle past the timeout, and only then', async () => {
    await ingest(0, sampleEvents(T0));
    const analysis = pass();
    await analysis.run();
    expect(await analysis.completeIdlePages()).toBe(0);
    // Stored at the real clock a few ms after `clock` was read; idle once the timeout has passed since.
    clock = Date.now() + IDLE_MS + 1;
    expect(await analysis.completeIdlePages()).toBe(1);
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.type)).toEqual(['form_abandonment']);
    expect(await analysis.completeIdlePages()).toBe(0);
  });

  it('skips, records and logs once a batch it cannot read, and goes on with the rest', async () => {
    await ingest(0, sampleEvents(T0));
    await ingest(1, [click(T0 + 100, '#b')]);
    t.db.prepare('UPDATE chunks SET body = ? WHERE seq = 0').run(gzipSync('{"events": not json'));
    const logged: string[] = [];
    const result = await pass({ log: (message) => logged.push(message) }).run();
    expect(result).toMatchObject({ batches: 2, skipped: 1 });
    expect(logged).toHaveLength(1);
    expect(count('SELECT count(*) FROM analysis_skipped')).toBe(1);
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(0);
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.selector)).toEqual(['#b']);
  });

  it('a detector that throws loses its own flags on that page only', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    const broken: Detector = () => {
      throw new Error('bug');
    };
    const logged: string[] = [];
    await pass({ detectors: testDetectors([{ type: 'rage_click', detect: broken }]), log: (message) => logged.push(message) }).run();
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.type)).toEqual(['dead_click']);
    expect(logged[0]).toMatch(/detector rage_click failed/);
  });

  it('leaves claimed rows to another worker until their lease ends, and gives up on a batch that keeps killing workers', async () => {
    await ingest(0, sampleEvents(T0));
    const queue = t.repos.analysisQueue;
    expect(queue.claim(10, clock, 1000)).toHaveLength(1);
    expect((await pass().run()).batches).toBe(0); // still claimed by the "dead" worker
    for (let attempt = 2; attempt <= MAX_ANALYSIS_ATTEMPTS; attempt++) expect(queue.claim(10, (clock += 1001), 1000)).toHaveLength(1);
    clock += 1001;
    expect(await pass().run()).toMatchObject({ batches: 1, skipped: 1 });
    expect(t.db.prepare('SELECT error FROM analysis_skipped').pluck().get()).toMatch(/gave up after 3 attempts/);
  });

  it('gives its batches back at once when the database is busy, without counting the attempt; a failure outside one batch waits out the lease and counts', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    let failWith: Error | null = new SqliteError('database is locked', 'SQLITE_BUSY');
    const flaky: BatchConsumer = {
      name: 'flaky',
      read: () => null,
      write: async () => {
        if (failWith) throw failWith;
      },
    };
    // The real consumers write first, so each failure also rolls back what they wrote (heatmap keys among it).
    const flakyPass = pass({ consumers: [...createBatchConsumers(t.repos, () => clock), flaky] });
    // More busy failures in a row than a batch is allowed attempts, with no lease running out between them.
    for (let failure = 0; failure <= MAX_ANALYSIS_ATTEMPTS; failure++) await expect(flakyPass.run()).rejects.toThrow(/locked/);
    expect(count('SELECT attempts FROM analysis_queue')).toBe(0);
    failWith = null;
    expect(await flakyPass.run()).toMatchObject({ batches: 1, skipped: 0 });
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.selector)).toEqual(['#a']);
    expect(count('SELECT count(*) FROM heatmap_clicks')).toBe(1);

    await ingest(1, [click(T0 + 100, '#b')]);
    const cannotRead = pass({
      repos: {
        ...t.repos,
        chunks: {
          ...t.repos.chunks,
          forAnalysis: () => {
            throw new Error('a bug');
          },
        },
      },
    });
    await expect(cannotRead.run()).rejects.toThrow(/a bug/);
    expect((await flakyPass.run()).batches).toBe(0); // still claimed until its lease ends
    expect(count('SELECT attempts FROM analysis_queue')).toBe(1);
  });

  it('skips, records and logs a batch whose results cannot be stored, and stores the others of its transaction', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await ingest(1, [click(T0 + 100, '#b')]);
    await ingest(2, [click(T0 + 150, '#c')]);
    // A value the database refuses (PostgreSQL: an integer out of range) fails the whole transaction first.
    const refusing: BatchConsumer = {
      name: 'refusing',
      read: () => null,
      write: async (batch) => {
        if (batch.seq === 1) throw new Error('value out of range');
      },
    };
    const logged: string[] = [];
    const result = await pass({ consumers: [...createBatchConsumers(t.repos, () => clock), refusing], log: (message) => logged.push(message) }).run();
    expect(result).toMatchObject({ batches: 3, skipped: 1, pages: 1 });
    expect(logged).toEqual(['skipped batch 1 of session session-0001 (its results could not be stored):']);
    expect(t.db.prepare('SELECT seq, error FROM analysis_skipped').all()).toEqual([{ seq: 1, error: 'value out of range' }]);
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(0);
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.selector)).toEqual(['#a', '#c']);
    expect(count('SELECT count(*) FROM heatmap_clicks')).toBe(2);
  });

  it('logs a page whose judgement cannot be stored and stores the other pages of its transaction and clears the queue', async () => {
    for (const n of [1, 2, 3]) {
      const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: `session-000${n}`, pageId: `page-000${n}`, seq: 0, events: [...sampleEvents(T0), click(T0 + 50, `#p${n}`)] })));
      expect(res.status).toBe(200);
    }
    const friction = {
      ...t.repos.friction,
      replaceForPage: (...args: Parameters<typeof t.repos.friction.replaceForPage>) => {
        if (args[1] === 'session-0002') throw new Error('value out of range');
        return t.repos.friction.replaceForPage(...args);
      },
    };
    const logged: string[] = [];
    const result = await pass({ repos: { ...t.repos, friction }, log: (message) => logged.push(message) }).run();
    expect(result).toMatchObject({ batches: 3, skipped: 0, pages: 3 });
    expect(logged).toEqual(['could not store the judgement of page page-0002 of session session-0002:']);
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(0);
    expect(['session-0001', 'session-0002', 'session-0003'].map((id) => t.repos.friction.listBySession(id).map((f) => f.selector))).toEqual([['#p1'], [], ['#p3']]);
  });

  it('places clicks on a page whose heatmap row the retention job pruned after the pass had used it', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await pass().run();
    // Every session of the page is deleted; the retention job (in the analysis process, on its
    // connection) then prunes the heatmap page no row refers to any more.
    const res = await t.app.request('/api/sessions/session-0001', { method: 'DELETE', headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(createSessionDeletionRepo(t.db).pruneHeatmapPages()).toBe(1);
    // A new visit of the same page: its clicks need the page again, under a new id.
    await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'session-0002', seq: 0, events: [...sampleEvents(T0 + 60_000), click(T0 + 60_050, '#b')] })));
    expect(await pass().run()).toMatchObject({ batches: 1, skipped: 0 });
    expect(count('SELECT count(*) FROM heatmap_clicks c JOIN heatmap_pages p ON p.id = c.page_ref')).toBe(1);
  });

  it('a redetect queues every stored batch again and replaces rather than adds', async () => {
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    await pass().run();
    expect(t.repos.analysisQueue.enqueueStored(t.site.id, clock)).toBe(1);
    expect(t.repos.analysisQueue.enqueueStored('no-such-site', clock)).toBe(0);
    await pass().run();
    expect(t.repos.friction.listBySession('session-0001')).toHaveLength(1);
    expect(count('SELECT count(*) FROM page_signals')).toBe(1);
  });
});
