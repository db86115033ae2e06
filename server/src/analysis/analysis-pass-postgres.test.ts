// The analysis pass on PostgreSQL: the same rows as on SQLite from the same batches, and nodes sharing one queue.
import type { Hono } from 'hono';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { sharedPostgres, type SharedPostgres } from '../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createApp } from '../app';
import { openPostgresBackend, type PostgresBackend } from '../db/postgres/open-postgres-backend';
import { openPostgres } from '../db/postgres/open-postgres';
import { UNLIMITED } from '../limits/ingest-limits';
import type { AppRepos } from '../repos/create-repos';
import { createPgRepos } from '../repos/postgres/create-pg-repos';
import { recordDerivedVisit } from '../testing/derived-rows';
import type { Detector } from '../detectors/detected-friction';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, SHOP_ORIGIN, TEST_ADMIN_TOKEN, type TestApp } from '../testing/test-app';
import { createAnalysisPass, CLAIM_LEASE_MS, type AnalysisPassDeps } from './analysis-pass';
import { sqliteTransactions } from './analysis-transactions';
import type { BatchConsumer } from './batch-consumer';
import { createBatchConsumers, createPageHooks } from './batch-consumers';
import { CONFLICT_TRIES, pgAnalysisDatabase } from './pg-analysis-transactions';

const T0 = 1_700_000_000_000;
const SESSIONS = ['session-a', 'session-b', 'session-c'];
/** Pools of the analysis "nodes": one transaction at a time each, and a read beside it. */
const NODE_POOL_SIZE = 2;

/** Rows compared across backends: everything but the site id (a random one per backend) and row ids. */
const FRICTION_SQL = 'SELECT session_id, page_id, type, ts, selector FROM friction ORDER BY session_id, page_id, ts, type, selector';
const CLICKS_SQL = `SELECT c.session_id, c.page_id, c.ts, c.rage, c.dead, c.error, p.path AS page
  FROM heatmap_clicks c LEFT JOIN heatmap_pages p ON p.id = c.page_ref ORDER BY c.session_id, c.page_id, c.ts`;
const SCROLLS_SQL = `SELECT s.session_id, s.page_id, s.ts, s.step, s.device, p.path AS page
  FROM heatmap_scrolls s LEFT JOIN heatmap_pages p ON p.id = s.page_ref ORDER BY s.session_id, s.page_id, s.ts`;
const LOADS_SQL = `SELECT l.session_id, l.page_id, l.device, l.width, l.height, l.snapshot_ts, l.moment_ts, l.complete, p.path AS page
  FROM heatmap_loads l JOIN heatmap_pages p ON p.id = l.page_ref ORDER BY l.session_id, l.page_id`;
/** The aggregates the triggers keep, keyed by page path and selector text (their ids differ between backends). */
const CELLS_SQL = `SELECT p.path, c.device, s.selector, c.bin_x, c.bin_y, c.clicks, c.rage, c.dead, c.error, c.fixed, c.sum_x, c.sum_y
  FROM heatmap_cells c JOIN heatmap_pages p ON p.id = c.page_ref JOIN heatmap_selectors s ON s.id = c.selector_id
  ORDER BY p.path, c.device, s.selector, c.bin_x, c.bin_y`;
const SESSIONS_SQL = 'SELECT id, rage_clicks, dead_clicks, form_abandonments, error_loops, frustration_score, error_count, user_id FROM sessions ORDER BY id';
/** Flags are 0/1 integers on SQLite and may be booleans on PostgreSQL. */
const plain = (rows: unknown[]) => rows.map((row) => Object.fromEntries(Object.entries(row as object).map(([key, value]) => [key, typeof value === 'boolean' ? Number(value) : value])));

/** Flags one dead click per click signal, so a test can see which batches' signals a judgement saw. */
const perClick: Detector = ({ signals }) =>
  signals.flatMap((s) => (s.k === 'click' ? [{ type: 'dead_click' as const, ts: s.t, url: '', selector: s.sel, reason: `clicked ${s.sel}`, details: { windowMs: 1, lookedFor: [] } }] : []));
const click = (ts: number, selector: string) =>
  ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 1, y: 1, viewportWidth: 1, viewportHeight: 1, documentWidth: 1, documentHeight: 1, selector, offsetX: 0, offsetY: 0, fixed: false } } }) as eventWithTime;

describe.skipIf(skipWithoutPostgres())('the analysis pass on PostgreSQL', () => {
  let server: SharedPostgres;
  let postgres: PostgresBackend;
  let app: Hono;
  let siteKey: string;
  let url: string;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    server = await sharedPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    // A copy of the migrated template: openPostgresBackend finds its schema up to date.
    url = await server.migratedDatabase();
    postgres = await openPostgresBackend(url, { limits: UNLIMITED, demoSite: false });
    app = createApp({ postgres: postgres.backend, adminToken: TEST_ADMIN_TOKEN });
    siteKey = (await postgres.backend.repos.sites.create({ name: 'Shop', origins: [SHOP_ORIGIN] }, Date.now())).key;
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
    await postgres?.close();
  });

  /** An analysis node: its own pool, its repositories bound to its transactions. */
  function node(): { pool: pg.Pool; repos: AppRepos; deps: Pick<AnalysisPassDeps, 'transactions' | 'repos'> } {
    const raw = openPostgres(url, { max: NODE_POOL_SIZE });
    pools.push(raw);
    const { pool, transactions } = pgAnalysisDatabase(raw);
    const repos = createPgRepos(pool);
    return { pool, repos, deps: { transactions, repos } };
  }

  /** Records the same visits through either backend's ingest route. */
  async function record(target: Pick<TestApp, 'app' | 'site'>): Promise<void> {
    for (const [index, sessionId] of SESSIONS.entries()) await recordDerivedVisit(target as TestApp, sessionId, T0 + index * 60_000);
  }

  it('analyses recorded visits into the same friction, sessions and heatmap rows as SQLite', async () => {
    const sqlite = createTestApp();
    try {
      await record(sqlite);
      await record({ app, site: { key: siteKey } as TestApp['site'] });
      const { repos, deps, pool } = node();
      const consumers = createBatchConsumers(repos, Date.now);
      const pageHooks = createPageHooks(repos);
      const logged: string[] = [];
      const log = (message: string) => logged.push(message);
      const onPostgres = createAnalysisPass({ ...deps, idleTimeoutMs: 60_000, consumers, pageHooks, log });
      const onSqlite = createAnalysisPass({ transactions: sqliteTransactions(sqlite.db), repos: sqlite.repos, idleTimeoutMs: 60_000, log });
      expect(await onPostgres.run()).toMatchObject({ batches: 9, skipped: 0, pages: 9 });
      expect(await onSqlite.run()).toMatchObject({ batches: 9, skipped: 0, pages: 9 });
      expect(logged).toEqual([]);

      const onBoth = async (sql: string) => [plain(sqlite.db.prepare(sql).all()), plain((await pool.query(sql)).rows)];
      const [sqliteFriction, pgFriction] = await onBoth(FRICTION_SQL);
      expect(sqliteFriction!.length).toBeGreaterThan(0);
      expect(pgFriction).toEqual(sqliteFriction);
      const [sqliteSessions, pgSessions] = await onBoth(SESSIONS_SQL);
      expect(pgSessions).toEqual(sqliteSessions);
      expect((await pool.query('SELECT count(*) AS n FROM analysis_queue')).rows[0].n).toBe(0);
      for (const sql of [CLICKS_SQL, SCROLLS_SQL, LOADS_SQL, CELLS_SQL]) {
        const [fromSqlite, fromPostgres] = await onBoth(sql);
        expect(fromSqlite!.length).toBeGreaterThan(0);
        expect(fromPostgres).toEqual(fromSqlite);
      }
    } finally {
      sqlite.close();
    }
  });

  it('analyses a batch whose visitor data holds U+0000, which PostgreSQL cannot store, as SQLite does: U+FFFD in its place', async () => {
    const sqlite = createTestApp();
    try {
      const nul = [...sampleEvents(T0), click(T0 + 50, '#buy\u0000'), { type: 5, timestamp: T0 + 60, data: { tag: CUSTOM_EVENT_TAGS.identify, payload: { userId: 'user\u0000' } } } as eventWithTime];
      const body = gzipJson(makeBatch({ sessionId: 'session-nul', seq: 0, events: nul }));
      expect((await postIngest(sqlite.app, sqlite.site.key, body)).status).toBe(200);
      expect((await postIngest(app, siteKey, body, { origin: SHOP_ORIGIN })).status).toBe(200);
      const { repos, deps, pool } = node();
      const logged: string[] = [];
      const onPostgres = createAnalysisPass({ ...deps, idleTimeoutMs: 60_000, consumers: createBatchConsumers(repos, Date.now), pageHooks: createPageHooks(repos), log: (message) => logged.push(message) });
      const onSqlite = createAnalysisPass({ transactions: sqliteTransactions(sqlite.db), repos: sqlite.repos, idleTimeoutMs: 60_000, log: () => {} });
      expect(await onPostgres.run()).toMatchObject({ batches: 1, skipped: 0 });
      expect(await onSqlite.run()).toMatchObject({ batches: 1, skipped: 0 });
      expect(logged).toEqual([]);
      const users = (await pool.query("SELECT user_id FROM sessions WHERE id = 'session-nul'")).rows;
      expect(users).toEqual([{ user_id: 'user\ufffd' }]);
      expect(plain(sqlite.db.prepare("SELECT user_id FROM sessions WHERE id = 'session-nul'").all())).toEqual(users);
      const selectors = 'SELECT DISTINCT s.selector FROM heatmap_clicks c JOIN heatmap_selectors s ON s.id = c.selector_id';
      expect((await pool.query(selectors)).rows).toEqual([{ selector: '#buy\ufffd' }]);
      expect(plain(sqlite.db.prepare(selectors).all())).toEqual([{ selector: '#buy\ufffd' }]);
    } finally {
      sqlite.close();
    }
  });

  it('two nodes draining one queue at once analyse every batch exactly once', async () => {
    for (let n = 0; n < 8; n++) await recordDerivedVisit({ app, site: { key: siteKey } } as TestApp, `session-${n}`, T0 + n * 60_000);
    const nodes = [node(), node()];
    // Counted in the pass's own transaction: a try rolled back after a deadlock between the nodes
    // (their clicks meet on the page's heatmap totals) counts nothing.
    await nodes[0]!.pool.query('CREATE TABLE analysed_by (node integer NOT NULL, batch text NOT NULL)');
    const passes = nodes.map(({ repos, deps, pool }, index) => {
      const counter: BatchConsumer<null> = {
        name: 'counter',
        read: () => null,
        async write(batch) {
          await pool.query('INSERT INTO analysed_by VALUES ($1, $2)', [index, `${batch.sessionId}/${batch.seq}`]);
        },
      };
      const consumers = [...createBatchConsumers(repos, Date.now), counter];
      const pageHooks = createPageHooks(repos);
      return { pass: createAnalysisPass({ ...deps, idleTimeoutMs: 60_000, consumers, pageHooks, log: () => {} }), deps };
    });
    // Small claims, so that the two interleave over the queue rather than one taking it all. As the
    // analysis loop does, a pass that still lost after its tries gives its batches back and goes on.
    const drain = async ({ pass, deps }: (typeof passes)[number]) => {
      for (;;) {
        try {
          if ((await pass.run(3)).batches === 0) return;
        } catch (error) {
          if (!deps.transactions.unavailable(error)) throw error;
        }
      }
    };
    await Promise.all(passes.map(drain));
    const { pool } = nodes[0]!;
    const rows = (await pool.query<{ node: number; batch: string }>('SELECT node, batch FROM analysed_by')).rows;
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((row) => row.batch)).size).toBe(24);
    expect(rows.some((row) => row.node === 0)).toBe(true);
    expect(rows.some((row) => row.node === 1)).toBe(true);
    expect((await pool.query('SELECT count(*) AS n FROM analysis_queue')).rows[0].n).toBe(0);
    expect((await pool.query('SELECT count(*) AS n FROM page_signals')).rows[0].n).toBe(24);
  });

  it('runs a transaction that lost a deadlock again, so the pass goes on with nothing lost or written twice', async () => {
    await recordDerivedVisit({ app, site: { key: siteKey } } as TestApp, 'session-t', T0);
    const { deps, pool, repos } = node();
    let deadlocks = 1;
    const writes: string[] = [];
    const loser: BatchConsumer<null> = {
      name: 'loser',
      read: () => null,
      async write(batch) {
        writes.push(`${batch.seq}`);
        if (deadlocks-- > 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      },
    };
    const consumers = [...createBatchConsumers(repos, Date.now), loser];
    const pass = createAnalysisPass({ ...deps, idleTimeoutMs: 60_000, consumers, pageHooks: createPageHooks(repos), log: () => {} });
    expect(await pass.run()).toMatchObject({ batches: 3, skipped: 0 });
    // The first batch's write ran twice: once in the try rolled back, once in the one committed.
    expect(writes).toEqual(['0', '0', '1', '2']);
    expect(Number((await pool.query('SELECT count(*) AS n FROM page_signals')).rows[0].n)).toBe(3);
    expect(Number((await pool.query('SELECT count(*) AS n FROM analysis_queue')).rows[0].n)).toBe(0);
    expect(Number((await pool.query("SELECT count(*) AS n FROM heatmap_clicks WHERE session_id = 'session-t'")).rows[0].n)).toBeGreaterThan(0);
  });

  it('judges a page whose batches two nodes analyse at once on every batch, though the node that judged first stores last', async () => {
    const ingest = async (seq: number, events: eventWithTime[]) =>
      expect((await postIngest(app, siteKey, gzipJson(makeBatch({ sessionId: 'session-r', seq, events })), { origin: SHOP_ORIGIN })).status).toBe(200);
    await ingest(0, [...sampleEvents(T0), click(T0 + 50, '#a')]);
    const [first, second] = [node(), node()];
    // Without the heatmap consumers: the second node runs inside the first one's transaction here,
    // and would wait on the heatmap page row the first one created and has not committed.
    const passOf = (repos: AppRepos, deps: (typeof first)['deps']) =>
      createAnalysisPass({ ...deps, repos, idleTimeoutMs: 60_000, detectors: [{ type: 'dead_click', detect: perClick }], consumers: createBatchConsumers(repos, Date.now).filter((c) => !c.name.startsWith('heatmap')), pageHooks: [], log: () => {} });
    // The first node reads the page's signals (batch 0's only); before it stores its judgement,
    // batch 1 comes and the second node analyses it and stores a judgement of both.
    let raced = false;
    const slowSignals = {
      ...first.repos.pageSignals,
      async listByPage(sessionId: string, pageId: string) {
        const signals = await first.repos.pageSignals.listByPage(sessionId, pageId);
        if (!raced) {
          raced = true;
          await ingest(1, [click(T0 + 100, '#b')]);
          expect(await passOf(second.repos, second.deps).run()).toMatchObject({ batches: 1 });
          expect((await second.repos.friction.listBySession('session-r')).map((f) => f.selector)).toEqual(['#a', '#b']);
        }
        return signals;
      },
    };
    expect(await passOf({ ...first.repos, pageSignals: slowSignals }, first.deps).run()).toMatchObject({ batches: 1 });
    expect(raced).toBe(true);
    expect((await first.repos.friction.listBySession('session-r')).map((f) => f.selector)).toEqual(['#a', '#b']);
  });

  it('leaves a batch claimed by a node that died to another once its lease is over', async () => {
    await recordDerivedVisit({ app, site: { key: siteKey } } as TestApp, 'session-x', T0);
    const [dead, alive] = [node(), node()];
    const clock = Date.now();
    // The dead node claimed every batch and never finished.
    expect(await dead.repos.analysisQueue.claim(100, clock, CLAIM_LEASE_MS)).toHaveLength(3);
    const at = (now: number) => createAnalysisPass({ ...alive.deps, idleTimeoutMs: 60_000, now: () => now, consumers: createBatchConsumers(alive.repos, () => now), pageHooks: [], log: () => {} });
    expect(await at(clock + 1000).run()).toMatchObject({ batches: 0 });
    expect(await at(clock + CLAIM_LEASE_MS + 1).run()).toMatchObject({ batches: 3, skipped: 0 });
    expect((await alive.pool.query('SELECT count(*) AS n FROM analysis_queue')).rows[0].n).toBe(0);
  });

  it('gives its batches back at once when PostgreSQL cannot take the writes (a deadlock between nodes), without counting the attempt', async () => {
    await recordDerivedVisit({ app, site: { key: siteKey } } as TestApp, 'session-d', T0);
    const { deps, pool, repos } = node();
    let failing = true;
    let tries = 0;
    const deadlocked: BatchConsumer<null> = {
      name: 'deadlocked',
      read: () => null,
      async write() {
        tries++;
        if (failing) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      },
    };
    const consumers = [...createBatchConsumers(repos, Date.now), deadlocked];
    const pass = createAnalysisPass({ ...deps, idleTimeoutMs: 60_000, consumers, pageHooks: [], log: () => {} });
    await expect(pass.run()).rejects.toThrow(/deadlock/);
    expect(tries).toBe(CONFLICT_TRIES);
    expect((await pool.query('SELECT attempts, claimed_until FROM analysis_queue')).rows.map((row) => [row.attempts, row.claimed_until])).toEqual([[0, 0], [0, 0], [0, 0]]);
    failing = false;
    expect(await pass.run()).toMatchObject({ batches: 3, skipped: 0 });
    expect(Number((await pool.query('SELECT count(*) AS n FROM page_signals')).rows[0].n)).toBe(3);
  });

  it('a page hook that throws loses its own writes only, in the transaction of its node', async () => {
    await recordDerivedVisit({ app, site: { key: siteKey } } as TestApp, 'session-h', T0);
    const { deps, pool, repos } = node();
    const seen: string[] = [];
    const logged: string[] = [];
    const pass = createAnalysisPass({
      ...deps,
      idleTimeoutMs: 60_000,
      consumers: createBatchConsumers(repos, Date.now),
      pageHooks: [
        {
          name: 'broken',
          async afterJudgement() {
            await pool.query(`UPDATE sites SET name = 'changed'`);
            throw new Error('bug');
          },
        },
        { name: 'recorder', afterJudgement: async (page) => void seen.push(page.pageId) },
      ],
      log: (message) => logged.push(message),
    });
    expect(await pass.run()).toMatchObject({ batches: 3, pages: 3 });
    expect(seen).toHaveLength(3);
    expect(logged.filter((message) => message.startsWith('page hook broken failed'))).toHaveLength(3);
    expect((await pool.query('SELECT name FROM sites')).rows.map((row) => row.name)).toEqual(['Shop']);
    expect(Number((await pool.query('SELECT count(*) AS n FROM friction')).rows[0].n)).toBeGreaterThan(0);
  });
});
