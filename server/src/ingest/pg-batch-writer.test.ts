import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { ApiError } from '../errors/api-error';
import { openDatabase } from '../db/open-database';
import { migratePostgres } from '../db/postgres/migrate-postgres';
import { createRepos } from '../repos/create-repos';
import { createBatchWriter, type WriteBatch } from './batch-writer';
import { createPgBatchWriter, postgresUnavailable } from './pg-batch-writer';
import { MAX_EVENTS_PER_SESSION } from './session-caps';
import { createBatchStore, type BatchSummary, type BatchToStore } from './store-batch';

const SITE = 'site-pg-writer';
const T = Date.UTC(2026, 10, 30, 12);
/** New sessions whose two first batches race through two nodes. */
const RACED_SESSIONS = 300;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function batch(sessionId: string, seq: number, pageId: string, firstTs: number, extra: Partial<BatchSummary> = {}): BatchToStore {
  const summary: BatchSummary = {
    sessionId, seq, pageId, url: `https://shop.test/${pageId}`, firstTs, lastTs: firstTs + 4000, eventCount: 40, snapshotTs: null, ...extra,
  };
  return { siteId: SITE, batch: summary, gzipBody: Buffer.from(`body ${sessionId} ${seq}`), inflatedBytes: 5000, userAgent: UA, receivedAt: T + seq };
}

/** Out of order, duplicated, a page that starts earlier than first seen, a second page: the cases store-batch.ts handles. */
const SEQUENCE: BatchToStore[] = [
  batch('s-a', 1, 'p1', T + 5000),
  batch('s-a', 0, 'p1', T, { snapshotTs: T }),
  batch('s-a', 1, 'p1', T + 5000),
  batch('s-a', 2, 'p2', T + 9000, { url: 'https://shop.test/cart', snapshotTs: T + 9000 }),
  batch('s-a', 3, 'p2', T + 8000),
  batch('s-b', 0, 'p9', T + 100),
];

type Outcome = { stored: boolean; duplicate: boolean } | { status: number; code: string; message: string };

async function outcomes(write: WriteBatch, inputs: BatchToStore[]): Promise<Outcome[]> {
  const results: Outcome[] = [];
  for (const input of inputs) {
    try {
      results.push(await write(input));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({ status: error.status, code: error.code, message: error.message });
    }
  }
  return results;
}

const SESSION_COLUMNS = 'id, started_at, ended_at, page_count, event_count, entry_url, user_agent, browser, browser_version, os, device, received_at, updated_at, inflated_bytes';
const PAGE_COLUMNS = 'session_id, page_id, url, started_at';
const CHUNK_COLUMNS = 'session_id, seq, page_id, first_ts, last_ts, event_count, received_at, snapshot_ts, body';

/**
 * A pool whose idle connections may be ended by the database's teardown (DROP DATABASE ... WITH
 * (FORCE), 57P01) after the test: pg reports that on the pool, which without a listener throws.
 */
function openPool(connectionString: string): pg.Pool {
  const opened = new pg.Pool({ connectionString });
  opened.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  return opened;
}

describe.skipIf(skipWithoutPostgres())('createPgBatchWriter', () => {
  let server: SharedPostgres;
  let pool: pg.Pool;
  /** The test database, for the second pool ("another node") some tests open on it. */
  let url: string;
  let dir: string;
  let sqlite: Database;

  beforeAll(async () => {
    server = await sharedPostgres();
    url = await server.createDatabase();
    pool = openPool(url);
    await migratePostgres(pool);
    await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, 'Shop', 'key-pg-writer', '[]', 0)`, [SITE]);
    dir = mkdtempSync(join(tmpdir(), 'fl-pg-writer-'));
    sqlite = openDatabase(dir);
    sqlite.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES (?, 'Shop', 'key-pg-writer', '[]', 0)`).run(SITE);
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    sqlite?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pgRows = async (sql: string) => (await pool.query(sql)).rows.map((row) => normalise(row as Record<string, unknown>));
  const sqliteRows = (sql: string) => sqlite.prepare(sql).all().map((row) => normalise(row as Record<string, unknown>));
  /** bigint columns come back from node-postgres as strings, bodies as Buffers on both. */
  function normalise(row: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, typeof value === 'string' && /^\d+$/.test(value) && key !== 'id' && key !== 'session_id' ? Number(value) : value]),
    );
  }

  it('stores the same rows as the SQLite path for the same batches, and answers each batch alike', async () => {
    const sqliteWrite = createBatchWriter(sqlite, createBatchStore(sqlite, createRepos(sqlite)));
    const pgWrite = createPgBatchWriter(pool);
    const expected = await outcomes(sqliteWrite, SEQUENCE);
    expect(await outcomes(pgWrite, SEQUENCE)).toEqual(expected);
    expect(expected.map((o) => ('duplicate' in o ? o.duplicate : o.code))).toEqual([false, false, true, false, false, false]);

    for (const [table, columns, order] of [
      ['sessions', SESSION_COLUMNS, 'id'],
      ['pages', PAGE_COLUMNS, 'session_id, page_id'],
      ['chunks', CHUNK_COLUMNS, 'session_id, seq'],
      ['analysis_queue', 'session_id, seq, enqueued_at', 'session_id, seq'],
    ] as const) {
      const sql = `SELECT ${columns} FROM ${table} ORDER BY ${order}`;
      expect(await pgRows(sql), table).toEqual(sqliteRows(sql));
    }
    // The out-of-order batch 0 gave the session its start and entry URL; page p2 starts at its earliest batch.
    expect(await pgRows(`SELECT started_at, entry_url, page_count FROM sessions WHERE id = 's-a'`)).toEqual([
      { started_at: T, entry_url: 'https://shop.test/p1', page_count: 2 },
    ]);
  });

  it('refuses a batch of a session another site owns with 409, as SQLite does, also when both sites race to start it', async () => {
    const OTHER = 'site-pg-writer-2';
    await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, 'Other', 'key-pg-writer-2', '[]', 0)`, [OTHER]);
    sqlite.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES (?, 'Other', 'key-pg-writer-2', '[]', 0)`).run(OTHER);
    const stolen = { ...batch('s-owned', 1, 'p1', T + 5000), siteId: OTHER };
    const inputs = [batch('s-owned', 0, 'p1', T), stolen];
    const expected = await outcomes(createBatchWriter(sqlite, createBatchStore(sqlite, createRepos(sqlite))), inputs);
    expect(expected[1]).toMatchObject({ status: 409, code: 'session_conflict' });
    expect(await outcomes(createPgBatchWriter(pool), inputs)).toEqual(expected);

    const write = createPgBatchWriter(pool);
    const both = await Promise.allSettled([write(batch('s-contested', 0, 'p1', T)), write({ ...batch('s-contested', 0, 'p1', T), siteId: OTHER })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 409 } });
    expect(await pgRows(`SELECT count(*)::int AS n FROM sessions WHERE id = 's-contested'`)).toEqual([{ n: 1 }]);
  });

  it('refuses a batch past a session cap with the SQLite path\'s words, and a session the site may not start with 429', async () => {
    const big = batch('s-cap', 0, 'p1', T, { eventCount: MAX_EVENTS_PER_SESSION - 10 });
    const over = batch('s-cap', 1, 'p1', T + 5000, { eventCount: 11 });
    const sqliteWrite = createBatchWriter(sqlite, createBatchStore(sqlite, createRepos(sqlite)));
    const expected = await outcomes(sqliteWrite, [big, over]);
    expect(await outcomes(createPgBatchWriter(pool), [big, over])).toEqual(expected);
    expect(expected[1]).toMatchObject({ status: 413, code: 'session_limit' });
    expect(await pgRows(`SELECT count(*)::int AS n FROM chunks WHERE session_id = 's-cap'`)).toEqual([{ n: 1 }]);

    const asked: string[] = [];
    const refusing = createPgBatchWriter(pool, { admitSession: (_site, sessionId) => (asked.push(sessionId), 90_000) });
    expect(await outcomes(refusing, [batch('s-refused', 0, 'p1', T), batch('s-cap', 2, 'p1', T + 6000, { eventCount: 1 })])).toEqual([
      { status: 429, code: 'site_session_limit', message: expect.any(String) },
      { stored: true, duplicate: false },
    ]);
    // Only the new session was asked about; nothing of it was written.
    expect(asked).toEqual(['s-refused']);
    expect(await pgRows(`SELECT count(*)::int AS n FROM sessions WHERE id = 's-refused'`)).toEqual([{ n: 1 - 1 }]);
  });

  it("keeps the session's lowest seq as batches arrive out of order and again, with the start and entry URL SQLite gives", async () => {
    const inputs = [
      batch('s-low', 3, 'p1', T + 9000),
      batch('s-low', 1, 'p1', T + 3000, { url: 'https://shop.test/one' }),
      batch('s-low', 2, 'p1', T + 6000, { url: 'https://shop.test/two' }),
      batch('s-low', 1, 'p1', T + 3000, { url: 'https://shop.test/one' }),
      // A seq stored already, named with a page the session does not have: a duplicate, and no page is left behind.
      batch('s-low', 2, 'p-reused', T + 6000),
      batch('s-low', 0, 'p0', T + 1000, { url: 'https://shop.test/zero' }),
    ];
    const sqliteWrite = createBatchWriter(sqlite, createBatchStore(sqlite, createRepos(sqlite)));
    const pgWrite = createPgBatchWriter(pool);
    const lowest: unknown[] = [];
    for (const input of inputs) {
      const expected = await outcomes(sqliteWrite, [input]);
      expect(await outcomes(pgWrite, [input]), `seq ${input.batch.seq}`).toEqual(expected);
      lowest.push(...(await pgRows(`SELECT first_seq FROM sessions WHERE id = 's-low'`)).map((row) => row.first_seq));
      const columns = 'started_at, entry_url, page_count, event_count, ended_at';
      expect(await pgRows(`SELECT ${columns} FROM sessions WHERE id = 's-low'`)).toEqual(sqliteRows(`SELECT ${columns} FROM sessions WHERE id = 's-low'`));
    }
    expect(lowest).toEqual([3, 1, 1, 1, 1, 0]);
    expect(await pgRows(`SELECT page_id FROM pages WHERE session_id = 's-low' ORDER BY page_id`)).toEqual([{ page_id: 'p0' }, { page_id: 'p1' }]);
    expect(await pgRows(`SELECT count(*)::int AS n FROM analysis_queue WHERE session_id = 's-low'`)).toEqual([{ n: 4 }]);

    // A session whose lowest seq is not known (copied, or written outside store_batch) has it looked up once.
    await pool.query(`UPDATE sessions SET first_seq = NULL WHERE id = 's-low'`);
    expect(await pgWrite(batch('s-low', 4, 'p0', T + 12_000, { url: 'https://shop.test/four' }))).toEqual({ stored: true, duplicate: false });
    expect(await pgRows(`SELECT first_seq, entry_url FROM sessions WHERE id = 's-low'`)).toEqual([{ first_seq: 0, entry_url: 'https://shop.test/zero' }]);
  });

  it('answers a batch stored already as a duplicate also once its session is at a cap, writing nothing', async () => {
    const full = batch('s-full', 0, 'p1', T, { eventCount: MAX_EVENTS_PER_SESSION });
    const write = createPgBatchWriter(pool);
    expect(await outcomes(write, [full, full, batch('s-full', 1, 'p2', T + 5000, { eventCount: 1 })])).toEqual([
      { stored: true, duplicate: false },
      { stored: false, duplicate: true },
      { status: 413, code: 'session_limit', message: expect.any(String) },
    ]);
    expect(await pgRows(`SELECT page_count, event_count FROM sessions WHERE id = 's-full'`)).toEqual([{ page_count: 1, event_count: MAX_EVENTS_PER_SESSION }]);
    expect(await pgRows(`SELECT count(*)::int AS n FROM pages WHERE session_id = 's-full'`)).toEqual([{ n: 1 }]);
  });

  it('stores every batch once when nodes take batches of one new session at the same time', async () => {
    // Two pools are two nodes: concurrent first batches race to insert the session; the loser waits and adds to it.
    const other = openPool(url);
    try {
      const writers = [createPgBatchWriter(pool), createPgBatchWriter(other)];
      const inputs = Array.from({ length: 24 }, (_, seq) => batch('s-race', seq, `p${seq % 3}`, T + seq * 1000));
      const results = await Promise.all(inputs.map((input, i) => writers[i % 2]!(input)));
      expect(results.every((r) => r.stored)).toBe(true);
      // Retried, every batch is a duplicate, whichever node it reaches.
      const again = await Promise.all(inputs.map((input, i) => writers[(i + 1) % 2]!(input)));
      expect(again.every((r) => r.duplicate)).toBe(true);
      expect(await pgRows(`SELECT page_count, event_count, started_at, entry_url FROM sessions WHERE id = 's-race'`)).toEqual([
        { page_count: 3, event_count: 24 * 40, started_at: T, entry_url: 'https://shop.test/p0' },
      ]);
      expect(await pgRows(`SELECT count(*)::int AS n FROM analysis_queue WHERE session_id = 's-race'`)).toEqual([{ n: 24 }]);
    } finally {
      await other.end();
    }
  });

  it('stores both first batches of many new sessions sent through two nodes at once, refusing none as another site\'s', async () => {
    // store_batch once looked a session up twice: by site and id, then by id for another site's. A
    // row another node committed between the two had this site's own batch refused with 409 (15 in
    // 5,000 batches in the loaded ingest bench; none in this test's 600 on a quiet one, the window
    // being two statements wide). One lookup now decides; this guards the outcome under many races.
    const other = openPool(url);
    try {
      const writers = [createPgBatchWriter(pool), createPgBatchWriter(other)];
      const sessions = Array.from({ length: RACED_SESSIONS }, (_, i) => `s-many-${i}`);
      const results = await Promise.all(
        sessions.flatMap((id) => [0, 1].map((seq) => outcomes(writers[seq]!, [batch(id, seq, 'p1', T + seq * 1000)]).then(([outcome]) => outcome!))),
      );
      expect(results.filter((outcome) => !('stored' in outcome && outcome.stored))).toEqual([]);
      expect(await pgRows(`SELECT count(*)::int AS n FROM chunks WHERE session_id LIKE 's-many-%'`)).toEqual([{ n: 2 * RACED_SESSIONS }]);
    } finally {
      await other.end();
    }
  });

  /** The pool, counting the named statements the writer sends through it. */
  function counting(target: pg.Pool): { pool: pg.Pool; calls: string[] } {
    const calls: string[] = [];
    const query = (config: { name?: string }, ...rest: unknown[]) => {
      calls.push(config.name ?? '');
      return (target.query as (...args: unknown[]) => unknown)(config, ...rest);
    };
    return { pool: new Proxy(target, { get: (t, key) => (key === 'query' ? query : Reflect.get(t, key)) }), calls };
  }

  it('stores the batches queued together in one call and commit, each answered with its own outcome', async () => {
    const OTHER = 'site-pg-writer-3';
    await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, 'Third', 'key-pg-writer-3', '[]', 0)`, [OTHER]);
    await outcomes(createPgBatchWriter(pool), [batch('s-g1', 0, 'p1', T), batch('s-g2', 0, 'p1', T), batch('s-g-full', 0, 'p1', T, { eventCount: MAX_EVENTS_PER_SESSION })]);
    const { pool: watched, calls } = counting(pool);
    const write = createPgBatchWriter(watched);
    const settled = await Promise.allSettled([
      write(batch('s-g2', 1, 'p2', T + 5000, { snapshotTs: T + 5000 })),
      write(batch('s-g1', 1, 'p1', T + 5000)),
      write(batch('s-g1', 0, 'p1', T)),
      write({ ...batch('s-g1', 2, 'p1', T + 9000), siteId: OTHER }),
      write(batch('s-g-full', 1, 'p1', T + 5000, { eventCount: 1 })),
      write(batch('s-g-new', 0, 'p1', T + 100)),
      write(batch('s-g-new', 1, 'p1', T + 5100)),
      write(batch('s-g1', 2, 'p1', T + 9000)),
    ]);
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as ApiError).code))).toEqual([
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
      { stored: false, duplicate: true },
      'session_conflict',
      'session_limit',
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
    ]);
    // All eight in one call; the new session's two batches, admitted, in a second.
    expect(calls).toEqual(['store_batches', 'store_batches']);
    expect(await pgRows(`SELECT id, page_count, event_count, first_seq FROM sessions WHERE id IN ('s-g1', 's-g2', 's-g-new') ORDER BY id`)).toEqual([
      { id: 's-g-new', page_count: 1, event_count: 80, first_seq: 0 },
      { id: 's-g1', page_count: 1, event_count: 120, first_seq: 0 },
      { id: 's-g2', page_count: 2, event_count: 80, first_seq: 0 },
    ]);
    expect(await pgRows(`SELECT session_id, seq, body FROM chunks WHERE session_id IN ('s-g1', 's-g2', 's-g-new') ORDER BY session_id, seq`)).toEqual(
      [['s-g-new', 0], ['s-g-new', 1], ['s-g1', 0], ['s-g1', 1], ['s-g1', 2], ['s-g2', 0], ['s-g2', 1]].map(([id, seq]) => ({ session_id: id, seq, body: Buffer.from(`body ${id} ${seq}`) })),
    );
  });

  it('stores a failed group one batch a call, so only the batch the database rejects is refused', async () => {
    const { pool: watched, calls } = counting(pool);
    const write = createPgBatchWriter(watched);
    const settled = await Promise.allSettled([
      write(batch('s-bad', 0, 'p1', T)),
      // PostgreSQL text cannot hold a NUL: the database rejects this batch (and, whole, its group).
      write(batch('s-bad', 1, 'p1', T + 5000, { url: 'https://shop.test/\u0000' })),
      write(batch('s-bad', 2, 'p1', T + 9000)),
    ]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({ reason: { code: '22021' } });
    expect(calls.slice(0, 4)).toEqual(['store_batches', 'store_batch', 'store_batch', 'store_batch']);
    expect(await pgRows(`SELECT seq FROM chunks WHERE session_id = 's-bad' ORDER BY seq`)).toEqual([{ seq: 0 }, { seq: 2 }]);
  });

  it('never deadlocks when two nodes store groups of the same sessions in opposite orders', async () => {
    // Each group locks its sessions' rows in id order: unsorted, these groups deadlock, PostgreSQL
    // ends one after deadlock_timeout, and its batches fall back to a call each.
    const other = openPool(url);
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `s-order-${String(i).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => createPgBatchWriter(pool)(batch(id, 0, 'p1', T))));
      const nodes = [counting(pool), counting(other)];
      const writers = nodes.map((node) => createPgBatchWriter(node.pool));
      for (let seq = 1; seq <= 6; seq += 2) {
        const results = await Promise.all([
          ...ids.map((id) => writers[0]!(batch(id, seq, 'p1', T + seq * 1000))),
          ...[...ids].reverse().map((id) => writers[1]!(batch(id, seq + 1, 'p1', T + (seq + 1) * 1000))),
        ]);
        expect(results.every((r) => r.stored)).toBe(true);
      }
      expect(nodes.flatMap((node) => node.calls).filter((name) => name !== 'store_batches')).toEqual([]);
      expect(await pgRows(`SELECT count(*)::int AS n FROM chunks WHERE session_id LIKE 's-order-%'`)).toEqual([{ n: 40 * 7 }]);
    } finally {
      await other.end();
    }
  });

  it('answers 503 when PostgreSQL cannot be reached, and other errors as they are', async () => {
    const down = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    try {
      await expect(createPgBatchWriter(down)(batch('s-down', 0, 'p1', T))).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    } finally {
      await down.end();
    }
    expect(postgresUnavailable(Object.assign(new Error('disk full'), { code: '53100' }))).toMatchObject({ status: 503, retryAfterS: 60 });
    expect(postgresUnavailable(Object.assign(new Error('unique violation'), { code: '23505' }))).toBeUndefined();
  });
});
