import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../test/support/seeded-random';
import { sharedPostgres, type SharedPostgres } from '../../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../../test/support/start-postgres';
import { migratePostgres } from './migrate-postgres';

// store_batches as migration 011 writes it (the common batches of a group with one statement a
// table) against 010's (store_batch a batch, in one call): the same groups sent to a database of
// each must answer every batch alike and leave the same rows.

const SITE = 'site-a';
const OTHER = 'site-b';
/** Small caps, so groups reach them. */
const CAPS = { events: 1000, inflated: 50_000, pages: 3, spanMs: 600_000 };
const T = Date.UTC(2026, 11, 1, 9);

interface Spec {
  site?: string;
  session: string;
  seq: number;
  page: string;
  url?: string;
  firstTs: number;
  lastTs?: number;
  events?: number;
  inflated?: number;
  admitted?: boolean;
}

interface Row {
  idx: number;
  outcome: string;
  started_at: string;
  ended_at: string;
  event_count: string;
  page_count: number;
  inflated_bytes: string;
  new_page: boolean | null;
}

/** The arrays store_batches takes, in the writer's order (pg-batch-writer.ts). */
function parameters(group: Spec[]): unknown[] {
  const col = <T>(pick: (s: Spec) => T) => group.map(pick);
  const bodies = group.map((s) => Buffer.from(`body ${s.session} ${s.seq} ${s.page}`));
  return [
    col((s) => s.site ?? SITE), col((s) => s.session), col((s) => s.seq), col((s) => s.page), col((s) => s.url ?? `https://shop.test/${s.page}`),
    col((s) => s.firstTs), col((s) => s.lastTs ?? s.firstTs + 2000), col((s) => s.events ?? 40), col((s) => (s.seq % 5 === 0 ? s.firstTs : null)),
    Buffer.concat(bodies), bodies.map((b) => b.length), col((s) => s.inflated ?? 3000), col((s) => T + 100_000 + s.seq),
    col((s) => s.admitted ?? false), col(() => 'UA'), col(() => 'Chrome'), col(() => '131'), col(() => 'Linux'), col(() => 'desktop'),
    CAPS.events, CAPS.inflated, CAPS.pages, CAPS.spanMs,
  ];
}

const CALL = `SELECT idx, outcome, started_at, ended_at, event_count, page_count, inflated_bytes, new_page
  FROM store_batches($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`;

/** The group's rows, in the order returned, and how many batches went through store_batch one by one. */
async function store(pool: pg.Pool, group: Spec[]): Promise<{ rows: Row[]; apart: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL track_functions = 'pl'`);
    // The backend's counts not yet reported (PostgreSQL reports them at most once a second): a difference within one transaction.
    const calls = async () => Number((await client.query(`SELECT pg_stat_get_xact_function_calls('store_batch'::regproc) AS n`)).rows[0].n ?? 0);
    const callsBefore = await calls();
    const { rows } = await client.query<Row>(CALL, parameters(group));
    const apart = (await calls()) - callsBefore;
    await client.query('COMMIT');
    return { rows, apart };
  } finally {
    client.release();
  }
}

/** The tables a batch writes, in a stable order; analysis_queue without its identity. */
const TABLES: [table: string, order: string][] = [
  ['sessions', 'id'],
  ['pages', 'session_id, page_id'],
  ['chunks', 'session_id, seq'],
  ['analysis_queue', 'session_id, seq'],
];

describe.skipIf(skipWithoutPostgres())('store_batches (011) against 010', () => {
  let server: SharedPostgres;
  let before: pg.Pool;
  let after: pg.Pool;
  /** Every column 010's schema has (later migrations add columns that a batch leaves at their defaults). */
  let dumps: string[];

  beforeAll(async () => {
    server = await sharedPostgres();
    before = new pg.Pool({ connectionString: await server.createDatabase() });
    await migratePostgres(before, { to: 10 });
    after = new pg.Pool({ connectionString: await server.migratedDatabase(false) });
    dumps = [];
    for (const [table, order] of TABLES) {
      const { rows } = await before.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1 AND NOT ($1 = 'analysis_queue' AND column_name = 'id') ORDER BY ordinal_position`,
        [table],
      );
      dumps.push(`SELECT ${rows.map((row) => row.name).join(', ')} FROM ${table} ORDER BY ${order}`);
    }
    for (const pool of [before, after]) {
      for (const site of [SITE, OTHER]) await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, $1, $1, '[]', 0)`, [site]);
    }
  });
  afterAll(async () => {
    await before?.end();
    await after?.end();
    await server?.stop();
  });

  /** Sends the group to both databases; expects the same rows back and the same tables after; returns 011's count of batches stored apart. */
  async function both(group: Spec[]): Promise<{ rows: Row[]; apart: number }> {
    const expected = await store(before, group);
    const actual = await store(after, group);
    expect(actual.rows).toEqual(expected.rows);
    for (const sql of dumps) expect((await after.query(sql)).rows, sql).toEqual((await before.query(sql)).rows);
    return actual;
  }

  /** Sessions started through both functions, one group a batch. */
  async function start(...specs: Spec[]): Promise<void> {
    for (const spec of specs) {
      await both([spec]);
      await both([{ ...spec, admitted: true }]);
    }
  }

  it('stores the common batches of a group without store_batch: duplicates, new pages and moved starts as 010 does', async () => {
    await start(
      { session: 'c-1', seq: 0, page: 'p1', firstTs: T },
      { session: 'c-2', seq: 0, page: 'p1', firstTs: T },
      { session: 'c-3', seq: 0, page: 'p1', firstTs: T },
      { session: 'c-4', seq: 3, page: 'p1', firstTs: T + 30_000 },
      { session: 'c-5', seq: 3, page: 'p1', firstTs: T + 30_000 },
    );
    const { rows, apart } = await both([
      { session: 'c-3', seq: 1, page: 'p2', firstTs: T + 5000 },
      { session: 'c-1', seq: 1, page: 'p1', firstTs: T + 5000 },
      // Stored already: a duplicate, naming a page the session does not have (new_page true, nothing written).
      { session: 'c-2', seq: 0, page: 'p-other', firstTs: T },
      // Not the lowest seq, but earlier than its page's start: the page's start moves, the session's does not.
      { session: 'c-4', seq: 4, page: 'p1', firstTs: T + 20_000 },
      // Below every stored seq: moves the session's start and entry URL.
      { session: 'c-5', seq: 1, page: 'p0', url: 'https://shop.test/entry', firstTs: T + 10_000 },
    ]);
    expect(apart).toBe(0);
    expect(rows.map((r) => [r.idx, r.outcome, r.new_page])).toEqual([
      [2, 'stored', false], [3, 'duplicate', true], [1, 'stored', true], [4, 'stored', false], [5, 'stored', true],
    ]);
    const { rows: moved } = await after.query(
      `SELECT s.id, s.started_at, s.entry_url, s.first_seq, s.page_count, p.started_at AS p1_started
       FROM sessions s JOIN pages p ON p.session_id = s.id AND p.page_id = 'p1' WHERE s.id IN ('c-4', 'c-5') ORDER BY s.id`,
    );
    expect(moved).toEqual([
      { id: 'c-4', started_at: String(T + 30_000), entry_url: 'https://shop.test/p1', first_seq: 3, page_count: 1, p1_started: String(T + 20_000) },
      { id: 'c-5', started_at: String(T + 10_000), entry_url: 'https://shop.test/entry', first_seq: 1, page_count: 2, p1_started: String(T + 30_000) },
    ]);
  });

  it('stores a session\'s later batches in a group, out of order and repeated, as 010 does', async () => {
    await start({ session: 'm-1', seq: 3, page: 'p1', firstTs: T + 30_000 }, { session: 'm-2', seq: 0, page: 'p1', firstTs: T });
    const { rows } = await both([
      { session: 'm-2', seq: 1, page: 'p1', firstTs: T + 5000 },
      { session: 'm-1', seq: 4, page: 'p1', firstTs: T + 40_000 },
      { session: 'm-1', seq: 3, page: 'p-other', firstTs: T + 30_000 },
      { session: 'm-1', seq: 1, page: 'p1', url: 'https://shop.test/entry', firstTs: T + 10_000 },
      { session: 'm-2', seq: 3, page: 'p2', firstTs: T + 20_000 },
      { session: 'm-2', seq: 2, page: 'p2', firstTs: T + 15_000 },
      { session: 'm-1', seq: 0, page: 'p0', url: 'https://shop.test/zero', firstTs: T + 12_000 },
      { session: 'm-2', seq: 1, page: 'p1', firstTs: T + 5000 },
    ]);
    expect(rows.map((r) => [r.idx, r.outcome, r.new_page])).toEqual([
      [2, 'stored', false], [3, 'duplicate', true], [4, 'stored', false], [7, 'stored', true],
      [1, 'stored', false], [5, 'stored', true], [6, 'stored', false], [8, 'duplicate', false],
    ]);
  });

  it('refuses the batch that reaches a cap mid-group and goes on with the session\'s next batches as 010 does', async () => {
    await start({ session: 'cap-1', seq: 0, page: 'p1', firstTs: T, events: 900 });
    const { rows, apart } = await both([
      { session: 'cap-1', seq: 1, page: 'p1', firstTs: T + 1000, events: 60 },
      { session: 'cap-1', seq: 2, page: 'p1', firstTs: T + 2000, events: 60 },
      { session: 'cap-1', seq: 3, page: 'p1', firstTs: T + 3000, events: 40 },
      { session: 'cap-1', seq: 0, page: 'p1', firstTs: T, events: 900 },
      { session: 'cap-2', seq: 0, page: 'p1', firstTs: T },
    ]);
    expect(rows.map((r) => r.outcome)).toEqual(['stored', 'session_limit', 'stored', 'duplicate', 'new']);
    // The session's first batch and the new session's in the group's statement; its later ones one by one.
    expect(apart).toBe(3);
    // Pages and span: a fourth page, and a batch too far from the session's start.
    await start({ session: 'cap-3', seq: 0, page: 'p1', firstTs: T });
    const paged = await both([
      { session: 'cap-3', seq: 1, page: 'p2', firstTs: T + 1000 },
      { session: 'cap-3', seq: 2, page: 'p3', firstTs: T + 2000 },
      { session: 'cap-3', seq: 3, page: 'p4', firstTs: T + 3000 },
      { session: 'cap-3', seq: 4, page: 'p3', firstTs: T + CAPS.spanMs },
      { session: 'cap-3', seq: 5, page: 'p3', firstTs: T + 4000 },
    ]);
    expect(paged.rows.map((r) => r.outcome)).toEqual(['stored', 'stored', 'session_limit', 'session_limit', 'stored']);
  });

  it('answers another site\'s batch of a stored session as a conflict and new sessions as new or inserted, in id order, as 010 does', async () => {
    await start({ session: 'k-2', seq: 0, page: 'p1', firstTs: T }, { session: 'k-4', seq: 0, page: 'p1', firstTs: T });
    // A session whose lowest seq is not kept (copied, or written by a tool) goes to store_batch, which looks it up.
    for (const pool of [before, after]) await pool.query(`UPDATE sessions SET first_seq = NULL WHERE id = 'k-4'`);
    const first = await both([
      { session: 'k-4', seq: 1, page: 'p1', firstTs: T + 1000 },
      { session: 'k-2', seq: 1, page: 'p1', firstTs: T + 1000, site: OTHER },
      { session: 'k-2', seq: 2, page: 'p1', firstTs: T + 2000 },
      { session: 'k-3', seq: 0, page: 'p1', firstTs: T },
      { session: 'k-1', seq: 0, page: 'p1', firstTs: T, admitted: true },
      { session: 'k-1', seq: 1, page: 'p1', firstTs: T + 1000 },
      { session: 'k-5', seq: 0, page: 'p1', firstTs: T, admitted: true, site: OTHER },
      { session: 'k-5', seq: 1, page: 'p1', firstTs: T + 1000 },
    ]);
    expect(first.rows.map((r) => [r.idx, r.outcome])).toEqual([
      [5, 'stored'], [6, 'stored'], [2, 'conflict'], [3, 'stored'], [4, 'new'], [1, 'stored'], [7, 'stored'], [8, 'conflict'],
    ]);
  });

  it('inserts a new session from its first admitted batch within the caps, answering the batches before it as 010 does', async () => {
    const { rows, apart } = await both([
      { session: 'n-1', seq: 0, page: 'p1', firstTs: T },
      { session: 'n-1', seq: 1, page: 'p1', firstTs: T, events: CAPS.events + 1, admitted: true },
      { session: 'n-1', seq: 2, page: 'p1', firstTs: T, lastTs: T + CAPS.spanMs + 1, admitted: true },
      { session: 'n-1', seq: 3, page: 'p1', firstTs: T + 1000, admitted: true },
      { session: 'n-1', seq: 4, page: 'p2', firstTs: T + 2000 },
      { session: 'n-2', seq: 0, page: 'p1', firstTs: T, events: CAPS.events + 1, admitted: true },
      { session: 'n-0', seq: 0, page: 'p1', firstTs: T, admitted: true },
    ]);
    expect(rows.map((r) => [r.idx, r.outcome])).toEqual([
      [7, 'stored'], [1, 'new'], [2, 'session_limit'], [3, 'session_limit'], [4, 'stored'], [5, 'stored'], [6, 'session_limit'],
    ]);
    // Only the inserted session's later batch went through store_batch.
    expect(apart).toBe(1);
  });

  it('matches 010 batch for batch over random groups of few sessions, two sites and small caps', async () => {
    const random = seededRandom(14);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    const sessions = Array.from({ length: 24 }, (_, i) => `r-${i}`);
    let apart = 0;
    let batches = 0;
    const outcomes = new Set<string>();
    for (let round = 0; round < 120; round++) {
      const group: Spec[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const seq = Math.floor(random() * 16);
        return {
          site: random() < 0.05 ? OTHER : SITE,
          session: pick(sessions),
          seq,
          page: pick(['p1', 'p1', 'p2', 'p3', 'p4']),
          url: `https://shop.test/${pick(['a', 'b', 'c'])}`,
          firstTs: T + seq * 20_000 + Math.floor(random() * 15_000),
          events: 10 + Math.floor(random() * 60),
          inflated: 1000 + Math.floor(random() * 4000),
          admitted: random() < 0.1,
        };
      });
      const stored = await both(group);
      apart += stored.apart;
      batches += group.length;
      for (const row of stored.rows) outcomes.add(row.outcome);
    }
    // Every outcome came up, and most batches took the set-based path.
    expect([...outcomes].sort()).toEqual(['conflict', 'duplicate', 'new', 'session_limit', 'stored']);
    expect(apart).toBeLessThan(batches / 2);
  });

  it('never deadlocks when two nodes insert and lock the same new and stored sessions in opposite orders', async () => {
    // Last: it writes to 011's database only. Stored and new sessions interleaved by id; a third
    // transaction holds one in the middle until both groups wait, so each has taken what it takes
    // before it. Taken in the order given, or the stored ones before the new ones, the groups would
    // then each wait for the other, and PostgreSQL would end one with a deadlock error.
    const ids = Array.from({ length: 24 }, (_, i) => `d-${String(i).padStart(2, '0')}`);
    for (const id of ids.filter((_, i) => i % 2 === 0)) await store(after, [{ session: id, seq: 0, page: 'p1', firstTs: T, admitted: true }]);
    const group = (seq: number) => ids.map((id): Spec => ({ session: id, seq, page: 'p1', firstTs: T + seq * 1000, admitted: true }));
    const blocker = await after.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM sessions WHERE id = 'd-12' FOR UPDATE`);
      const groups = Promise.all([store(after, group(1)), store(after, group(2).reverse())]);
      const waiting = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      while ((await after.query(waiting)).rows[0].n < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      await blocker.query('COMMIT');
      const [one, other] = await groups;
      expect([...one.rows, ...other.rows].filter((row) => row.outcome !== 'stored')).toEqual([]);
    } finally {
      blocker.release();
    }
    const { rows } = await after.query(`SELECT count(*)::int AS n FROM chunks WHERE session_id LIKE 'd-%'`);
    expect(rows).toEqual([{ n: 12 + 24 * 2 }]);
  });
});
