import { sqliteTransactions } from '../../analysis/analysis-transactions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { eventWithTime } from '@rrweb/types';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../../test/support/start-postgres';
import { CUSTOM_EVENT_TAGS } from '../../../../recorder/src/wire/format';
import { createAnalysisPass } from '../../analysis/analysis-pass';
import type { Detector } from '../../detectors/detected-friction';
import { adminHeaders, createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, SHOP_ORIGIN, type TestApp } from '../../testing/test-app';
import { migrate } from '../migrate';
import { databasePath } from '../open-database';
import { PROGRESS_TABLE } from './copy-sqlite-table';
import { migratePostgres } from './migrate-postgres';
import { migrateToPostgres } from './migrate-to-postgres';
import { COPY_TABLES } from './sqlite-copy-tables';
import { verifySqliteCopy } from './verify-sqlite-copy';

const DAY_MS = 86_400_000;
/** Monday 2023-11-13 10:00 UTC, server clock of the first week's sessions; the second week's come 8 days later. */
const WEEK_ONE = Date.UTC(2023, 10, 13, 10);
const IDLE_MS = 60_000;

const custom = (ts: number, tag: string, payload: unknown) => ({ type: 5, timestamp: ts, data: { tag, payload } }) as eventWithTime;
const click = (ts: number, selector: string, fixed = false) =>
  custom(ts, CUSTOM_EVENT_TAGS.click, { x: 10, y: 20, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2000, selector, offsetX: 0.5, offsetY: 0.25, fixed, clickCount: 1, target: { kind: 'button', text: selector } });

/** Flags each click dead (as the analysis pass's own tests do), so friction rows exist whatever the real detectors judge. */
const perClick: Detector = ({ signals }) =>
  signals.flatMap((s) => (s.k === 'click' ? [{ type: 'dead_click' as const, ts: s.t, url: '', selector: s.sel, reason: `clicked ${s.sel}`, details: { windowMs: 1, lookedFor: [] } }] : []));

/** One session of three batches: a page load, clicks on two buttons, a track call and a scroll. */
async function recordSession(t: TestApp, sessionId: string, at: number): Promise<void> {
  vi.setSystemTime(at);
  const start = at - 5_000;
  const batches = [
    [...sampleEvents(start, 6, `${SHOP_ORIGIN}/product/${sessionId}`), custom(start + 70, CUSTOM_EVENT_TAGS.pageView, { url: `${SHOP_ORIGIN}/product/${sessionId}`, title: 'Product', referrer: 'https://search.example/' })],
    [...[200, 400, 600, 800].map((ms) => click(start + ms, '#buy')), click(start + 4_000, '#menu', true)],
    [custom(start + 5_000, CUSTOM_EVENT_TAGS.track, { name: 'signup', props: {} }), custom(start + 9_000, CUSTOM_EVENT_TAGS.scrollDepth, { maxY: 1600, documentHeight: 2000, viewportHeight: 800, fraction: 0.8 })],
  ];
  for (const [seq, events] of batches.entries()) {
    const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId, pageId: `${sessionId}-p1`, url: `${SHOP_ORIGIN}/product/${sessionId}`, seq, events })));
    expect(res.status).toBe(200);
  }
}

async function send(t: TestApp, method: string, path: string, body: unknown): Promise<void> {
  const res = await t.app.request(path, { method, headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
}

/** A SQLite installation filled the way the server fills one: ingest, the analysis pass, goals and a funnel. */
async function filledInstallation(): Promise<TestApp> {
  vi.useFakeTimers({ toFake: ['Date'] });
  const t = createTestApp();
  try {
    await recordSession(t, 'session-a', WEEK_ONE);
    await recordSession(t, 'session-b', WEEK_ONE + DAY_MS);
    await recordSession(t, 'session-c', WEEK_ONE + 8 * DAY_MS);
    await recordSession(t, 'session-d', WEEK_ONE + 9 * DAY_MS);
    await send(t, 'POST', `/api/sites/${t.site.id}/goals`, { name: 'Signed up', kind: 'event', event: 'signup' });
    await send(t, 'POST', `/api/sites/${t.site.id}/funnels`, { name: 'Buy', steps: [{ kind: 'page', pattern: '/product/*' }, { kind: 'event', event: 'signup' }] });
    // Far past every session's idle time, so every page is judged complete and its clicks placed.
    const pass = createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: IDLE_MS, now: () => WEEK_ONE + 30 * DAY_MS, log: () => {}, detectors: [{ type: 'dead_click', detect: perClick }] });
    while ((await pass.run()).batches > 0);
  } finally {
    vi.useRealTimers();
  }
  expect(t.errors).toEqual([]);
  return t;
}

describe.skipIf(skipWithoutPostgres())('migrateToPostgres', () => {
  let server: SharedPostgres;
  let t: TestApp;
  let from: string;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    [server, t] = await Promise.all([sharedPostgres(), filledInstallation()]);
    from = databasePath(t.dataDir);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server?.stop();
    t?.close();
  });

  function poolFor(url: string): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return pool;
  }
  const sqliteCount = (table: string) => t.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const pgCount = async (pool: pg.Pool, table: string) => Number((await pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('copies every table of an installation filled by ingest and analysis, row for row, into weekly partitions', async () => {
    // The fill reached the tables whose mapping is not a plain copy.
    for (const table of ['chunks', 'heatmap_clicks', 'heatmap_cells', 'heatmap_scrolls', 'friction', 'tracked_events', 'goals', 'funnels', 'page_signals', 'conversion_reach']) {
      expect(sqliteCount(table), table).toBeGreaterThan(0);
    }
    const url = await server.createDatabase();
    const lines: string[] = [];
    const result = await migrateToPostgres({ from, to: url, progress: false, log: (line) => lines.push(line) });
    expect(result.checks.filter((check) => !check.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(lines.join('\n')).toMatch(/every count matches/);

    const pool = poolFor(url);
    for (const table of COPY_TABLES) {
      if (table.name !== 'heatmap_selectors') expect(await pgCount(pool, table.name), table.name).toBe(sqliteCount(table.name));
    }
    expect(await pgCount(pool, 'heatmap_selectors')).toBe(2); // '#buy' and '#menu' of the one site
    expect((await pool.query('SELECT to_regclass($1) AS found', [PROGRESS_TABLE])).rows[0].found).toBeNull();

    // Two weeks of sessions: two weekly partitions, nothing left in the default one.
    const partitions = await pool.query<{ part: string; n: string }>('SELECT tableoid::regclass::text AS part, count(*) AS n FROM chunks GROUP BY 1 ORDER BY 1');
    expect(partitions.rows.map((row) => row.part)).toEqual(['chunks_20231113', 'chunks_20231120']);

    const sqliteBodies = t.db.prepare("SELECT body FROM chunks WHERE session_id = 'session-c' ORDER BY seq").pluck().all() as Buffer[];
    const pgBodies = (await pool.query<{ body: Buffer }>("SELECT body FROM chunks WHERE session_id = 'session-c' ORDER BY seq")).rows.map((row) => row.body);
    expect(pgBodies).toHaveLength(3);
    expect(pgBodies.map((body) => body.equals(sqliteBodies[pgBodies.indexOf(body)]!))).toEqual([true, true, true]);

    // Values, not their SQLite spellings: booleans, JSON documents, the site id filled from the parent.
    const clicks = await pool.query<{ fixed: boolean; rage: boolean; site_id: string }>("SELECT fixed, rage, site_id FROM heatmap_clicks WHERE session_id = 'session-a' ORDER BY id");
    expect(clicks.rows.map((row) => row.fixed)).toEqual([false, false, false, false, true]);
    expect(clicks.rows.every((row) => row.site_id === t.site.id && typeof row.rage === 'boolean')).toBe(true);
    const site = await pool.query<{ origins: unknown; kind: string }>('SELECT origins, jsonb_typeof(origins) AS kind FROM sites');
    expect(site.rows[0]).toEqual({ origins: [SHOP_ORIGIN], kind: 'array' });
    const details = await pool.query<{ kind: string }>("SELECT DISTINCT jsonb_typeof(details) AS kind FROM friction");
    expect(details.rows).toEqual([{ kind: 'object' }]);

    // The end check sees a changed body (count and bytes alike) and a lost row.
    await pool.query("UPDATE chunks SET body = overlay(body PLACING '\\x00'::bytea FROM 20) WHERE session_id = 'session-a' AND seq = 1");
    await pool.query("DELETE FROM tracked_events WHERE session_id = 'session-b'");
    const client = await pool.connect();
    try {
      t.db.exec('BEGIN');
      const mismatches = (await verifySqliteCopy(t.db, client, COPY_TABLES)).filter((check) => !check.ok).map((check) => check.name);
      expect(mismatches).toEqual(['tracked_events', 'chunks digest']);
    } finally {
      t.db.exec('ROLLBACK');
      client.release();
    }

    // Identity sequences start past the copied ids.
    const next = await pool.query<{ next: string; max: string }>("SELECT nextval(pg_get_serial_sequence('heatmap_clicks', 'id')) AS next, max(id) AS max FROM heatmap_clicks");
    expect(Number(next.rows[0]!.next)).toBeGreaterThan(Number(next.rows[0]!.max));
  });

  it('goes on where an interrupted copy stopped, copying no row twice', async () => {
    const url = await server.createDatabase();
    const controller = new AbortController();
    let batches = 0;
    const first = await migrateToPostgres({
      from, to: url, batchRows: 3, progress: false, log: () => {}, signal: controller.signal,
      onBatch: () => { if (++batches === 7) controller.abort(); },
    });
    expect(first).toMatchObject({ aborted: true, ok: false });
    const pool = poolFor(url);
    const partial = await pool.query<{ table_name: string; copied: string; done: boolean }>(`SELECT table_name, copied, done FROM ${PROGRESS_TABLE} ORDER BY table_name`);
    expect(partial.rows.reduce((sum, row) => sum + Number(row.copied), 0)).toBe(first.copied);
    expect(partial.rows.some((row) => !row.done)).toBe(true);

    const second = await migrateToPostgres({ from, to: url, batchRows: 3, progress: false, log: () => {} });
    expect(second.checks.filter((check) => !check.ok)).toEqual([]);
    expect(second.ok).toBe(true);
    const total = second.checks.filter((check) => !check.name.startsWith('chunks ')).reduce((sum, check) => sum + Number(check.sqlite), 0);
    expect(first.copied + second.copied).toBe(total);
    const duplicates = await pool.query("SELECT session_id, seq FROM chunks GROUP BY 1, 2 HAVING count(*) > 1");
    expect(duplicates.rows).toEqual([]);
  });

  it('refuses a SQLite database of an older schema, and resuming from another file than the one begun', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-migrate-to-postgres-'));
    try {
      const old = new Database(join(dir, 'old.db'));
      migrate(old, { to: 11 });
      old.close();
      await expect(migrateToPostgres({ from: join(dir, 'old.db'), to: await server.createDatabase(), progress: false, log: () => {} }))
        .rejects.toThrow(/schema version 11, this frictionlens expects \d+/);

      const url = await server.createDatabase();
      const controller = new AbortController();
      await migrateToPostgres({ from, to: url, batchRows: 3, progress: false, log: () => {}, signal: controller.signal, onBatch: () => controller.abort() });
      t.db.exec(`VACUUM INTO '${join(dir, 'other.db')}'`);
      await expect(migrateToPostgres({ from: join(dir, 'other.db'), to: url, progress: false, log: () => {} })).rejects.toThrow(/unfinished copy of .*frictionlens\.db/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a target that already holds other data, and leaves it as it was', async () => {
    const url = await server.createDatabase();
    const pool = poolFor(url);
    await migratePostgres(pool);
    await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('other', 'Other', 'other-key', '["self"]', 1)`);
    await expect(migrateToPostgres({ from, to: url, progress: false, log: () => {} })).rejects.toThrow(/already holds data \(table sites\)/);
    expect(await pgCount(pool, 'sites')).toBe(1);
    expect(await pgCount(pool, 'sessions')).toBe(0);
    expect((await pool.query('SELECT to_regclass($1) AS found', [PROGRESS_TABLE])).rows[0].found).toBeNull();
  });
});
