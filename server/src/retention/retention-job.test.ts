import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath } from '../db/open-database';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { addPurchaseGoal, analyse, heatmapTotals, identifiedVisit, recordDerivedVisit, rowsOf, SESSION_TABLES } from '../testing/derived-rows';
import { adminHeaders, createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from '../testing/test-app';
import { createRetentionJob, RETENTION_CHECK_INTERVAL_MS, type RetentionJobDeps } from './retention-job';
import { DAY_MS } from './retention-period';

const T0 = 1_700_000_000_000;
let t: TestApp;
let clock: number;
let logged: string[];
beforeEach(() => {
  t = createTestApp();
  clock = Date.now();
  logged = [];
});
afterEach(() => t.close());

const noRows = Object.fromEntries(SESSION_TABLES.map((table) => [table, 0]));
const sessionIds = () => t.db.prepare('SELECT id FROM sessions ORDER BY id').pluck().all() as string[];
const pragma = (name: string) => t.db.pragma(name, { simple: true }) as number;

function job(overrides: Partial<RetentionJobDeps> = {}) {
  return createRetentionJob({ db: t.db, sites: t.repos.sites, deletion: createSessionDeletionRepo(t.db), now: () => clock, log: (message) => logged.push(message), ...overrides });
}

/** Runs slices until the job says there is nothing left to do; returns how many did something. */
async function runToEnd(retention: ReturnType<typeof job>): Promise<number> {
  let slices = 0;
  while (await retention.runSlice()) slices++;
  return slices;
}

/** As if the session's last batch had arrived `days` ago (server clock). */
function age(sessionId: string, days: number): void {
  t.db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(clock - days * DAY_MS, sessionId);
}

async function setRetention(siteId: string, retentionDays: number | null): Promise<void> {
  const res = await t.app.request(`/api/sites/${siteId}`, { method: 'PATCH', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ retentionDays }) });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { retentionDays: number | null }).retentionDays).toBe(retentionDays);
}

/** A session of `batches` batches, each carrying `bytes` of incompressible text, so that deleting it frees pages. */
async function bulkySession(sessionId: string, batches: number, bytes: number): Promise<void> {
  for (let seq = 0; seq < batches; seq++) {
    const filler = { type: 5, timestamp: T0 + seq * 1000 + 5, data: { tag: 'bulk', payload: randomBytes(bytes / 2).toString('hex') } } as eventWithTime;
    const events = [...sampleEvents(T0 + seq * 1000, 2), filler];
    const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId, seq, events })));
    expect(res.status, await res.text()).toBe(200);
  }
}

describe('retention job', () => {
  it('deletes a site’s sessions older than its period with everything derived from them, keeps newer ones, and keeps every session of a site without a period', async () => {
    addPurchaseGoal(t);
    const other = t.repos.sites.create({ name: 'Blog', origins: ['https://blog.example'] });
    await recordDerivedVisit(t, 'session-old', T0);
    await recordDerivedVisit(t, 'session-just-inside', T0 + 60_000);
    await recordDerivedVisit(t, 'session-recent', T0 + 120_000);
    await identifiedVisit(t, 'session-other-old', T0, ['reader-1'], other);
    await analyse(t);
    await setRetention(t.site.id, 30);
    age('session-old', 31);
    age('session-just-inside', 29);
    age('session-other-old', 400);
    const kept = Object.fromEntries(['session-just-inside', 'session-recent', 'session-other-old'].map((id) => [id, rowsOf(t, id)]));
    expect(rowsOf(t, 'session-old').heatmap_clicks).toBeGreaterThan(0);

    await runToEnd(job());
    expect(sessionIds()).toEqual(['session-just-inside', 'session-other-old', 'session-recent']);
    expect(rowsOf(t, 'session-old')).toEqual(noRows);
    for (const [id, rows] of Object.entries(kept)) expect(rowsOf(t, id), id).toEqual(rows);
    for (const [table, [total, rows]] of Object.entries(heatmapTotals(t))) expect(total, table).toBe(rows);
    expect(logged).toEqual([expect.stringMatching(/^retention: deleted 1 session past their site's period/)]);

    // A day later the one just inside is past the period too; the site without one still keeps everything.
    clock += 2 * DAY_MS;
    const retention = job();
    await runToEnd(retention);
    expect(sessionIds()).toEqual(['session-other-old', 'session-recent']);
    // Turning the period off keeps what is left.
    await setRetention(t.site.id, null);
    await recordDerivedVisit(t, 'session-after-off', T0);
    age('session-after-off', 1000);
    clock += RETENTION_CHECK_INTERVAL_MS;
    await runToEnd(retention);
    expect(sessionIds()).toEqual(['session-after-off', 'session-other-old', 'session-recent']);
  });

  it('looks again only once its interval has passed', async () => {
    await setRetention(t.site.id, 1);
    const retention = job();
    await runToEnd(retention);
    await bulkySession('session-late', 1, 100);
    age('session-late', 2);
    expect(await retention.runSlice()).toBe(false);
    expect(sessionIds()).toEqual(['session-late']);
    clock += RETENTION_CHECK_INTERVAL_MS;
    await runToEnd(retention);
    expect(sessionIds()).toEqual([]);
  });

  it('deletes a slice of sessions at a time, so the analysis loop goes back to its queue in between', async () => {
    await setRetention(t.site.id, 7);
    for (let i = 0; i < 7; i++) {
      await bulkySession(`session-${i}`, 1, 100);
      age(`session-${i}`, 8 + i);
    }
    const retention = job({ sliceSessions: 3 });
    expect(await retention.runSlice()).toBe(true);
    // Oldest first: the three whose last batch is oldest.
    expect(sessionIds()).toEqual(['session-0', 'session-1', 'session-2', 'session-3']);
    const left: number[] = [];
    while (await retention.runSlice()) left.push(sessionIds().length);
    // 4 → 1 → 0, then the slice that finds none left, then vacuum slices.
    expect(left.slice(0, 2)).toEqual([1, 0]);
    expect(logged).toEqual(['retention: deleted 7 sessions past their site\'s period']);
  });

  it('gives the freed pages back to the disk (incremental auto_vacuum), for expired sessions and for sessions deleted through the API', async () => {
    expect(pragma('auto_vacuum')).toBe(2);
    await setRetention(t.site.id, 30);
    for (let i = 0; i < 8; i++) await bulkySession(`session-${i}`, 4, 64 * 1024);
    const pageBytes = pragma('page_size');
    /** Stored batch bytes of these sessions: what deleting them must give back, at least. */
    const bodyBytes = (ids: string[]) => ids.reduce((sum, id) => sum + (t.db.prepare('SELECT sum(length(body)) FROM chunks WHERE session_id = ?').pluck().get(id) as number), 0);
    const expired = ['session-0', 'session-1', 'session-2', 'session-3'];
    const freed = bodyBytes(expired);
    expect(freed).toBeGreaterThan(500_000);
    const full = pragma('page_count');
    for (const id of expired) age(id, 40);
    await runToEnd(job());
    expect(sessionIds()).toEqual(['session-4', 'session-5', 'session-6', 'session-7']);
    expect(pragma('freelist_count')).toBe(0);
    const afterRetention = pragma('page_count');
    expect((full - afterRetention) * pageBytes).toBeGreaterThanOrEqual(freed);

    const deleted = ['session-4', 'session-5', 'session-6'];
    const freedByApi = bodyBytes(deleted);
    for (const id of deleted) expect((await t.app.request(`/api/sessions/${id}`, { method: 'DELETE', headers: adminHeaders() })).status).toBe(200);
    // Deleting leaves free pages inside the file; the job's next run hands them back.
    expect(pragma('freelist_count') * pageBytes).toBeGreaterThanOrEqual(freedByApi);
    clock += RETENTION_CHECK_INTERVAL_MS;
    await runToEnd(job());
    expect(pragma('freelist_count')).toBe(0);
    expect((afterRetention - pragma('page_count')) * pageBytes).toBeGreaterThanOrEqual(freedByApi);
    // And the file itself shrinks once the WAL is checkpointed.
    t.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(databasePath(t.dataDir)).size).toBe(pragma('page_count') * pageBytes);
    expect(t.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('removes heatmap pages no session refers to any more', async () => {
    addPurchaseGoal(t);
    await recordDerivedVisit(t, 'session-old', T0);
    await analyse(t);
    expect(t.db.prepare('SELECT count(*) FROM heatmap_pages').pluck().get()).toBeGreaterThan(0);
    await setRetention(t.site.id, 1);
    age('session-old', 2);
    await runToEnd(job());
    expect(t.db.prepare('SELECT count(*) FROM heatmap_pages').pluck().get()).toBe(0);
    expect(logged[0]).toMatch(/and \d+ heatmap pages? left without data$/);
  });
});

describe('PATCH /api/sites/:id retentionDays', () => {
  it('takes whole days from 1 to 3650 or null, and refuses anything else with 400, changing nothing', async () => {
    await setRetention(t.site.id, 3650);
    for (const retentionDays of [0, -1, 3651, 1.5, '30', true, {}]) {
      const res = await t.app.request(`/api/sites/${t.site.id}`, { method: 'PATCH', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ retentionDays }) });
      expect(res.status, JSON.stringify(retentionDays)).toBe(400);
    }
    expect(t.repos.sites.findById(t.site.id)?.retentionDays).toBe(3650);
    // The heatmap URL patterns are left as they were when only the period changes, and the other way round.
    const patterns = await t.app.request(`/api/sites/${t.site.id}`, { method: 'PATCH', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify({ urlPatterns: ['/product/*'] }) });
    expect(await patterns.json()).toMatchObject({ retentionDays: 3650, urlPatterns: ['/product/*'] });
    await setRetention(t.site.id, null);
    expect(t.repos.sites.findById(t.site.id)).toMatchObject({ retentionDays: null, urlPatterns: ['/product/*'] });
    expect(t.repos.sites.listWithRetention()).toEqual([]);
  });
});
