// Ingest when the database cannot write: a lock held elsewhere (past SQLite's busy_timeout, or a PostgreSQL wait the operator ends), PostgreSQL out of reach, SQLite's disk full.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { openPostgresBackend } from '../db/postgres/open-postgres-backend';
import { BUSY_RETRY_AFTER_S, STORAGE_RETRY_AFTER_S } from '../errors/database-unavailable';
import { UNLIMITED } from '../limits/ingest-limits';
import { describeAppOnBothBackends, describeAppOnPostgres, type BackendTestApp } from '../testing/backend-test-app';
import { startTcpProxy } from '../testing/tcp-proxy';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, TEST_ADMIN_TOKEN, type TestApp } from '../testing/test-app';

const T0 = 1_700_000_000_000;

type Queryable = Pick<BackendTestApp, 'rows'>;
const onSqlite = (db: Database.Database): Queryable => ({ rows: async <T>(sql: string) => db.prepare(sql).all() as T[] });

/** Every table ingest writes, counted: after a refused group they must be as before it. */
async function tableCounts(t: Queryable): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['sessions', 'pages', 'chunks', 'analysis_queue']) counts[table] = Number((await t.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return counts;
}

async function expectUnavailable(res: Response, retryAfterS: number): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(String(retryAfterS));
  expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
}

const eventCount = async (t: BackendTestApp, sessionId: string) => (await t.repos.sessions.get(sessionId))?.eventCount;

interface HeldLock {
  /** Resolves once `count` writes wait for the lock (PostgreSQL; SQLite's writer waits in its own loop, which nothing outside it can see). */
  waiting(count: number): Promise<void>;
  /**
   * Makes the waiting writes fail until `settled` settles: on SQLite busy_timeout does it alone; on
   * PostgreSQL, which waits for a lock as long as it is held, the operator ends each waiting write
   * (pg_terminate_backend), as one would a stuck one.
   */
  failWaits(settled: Promise<unknown>): Promise<void>;
  release(): Promise<void>;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Another connection takes the write lock of the tables ingest writes, and holds it until released. */
async function holdLock(t: BackendTestApp): Promise<HeldLock> {
  if (t.db) {
    const holder = new Database(t.db.name);
    holder.prepare('BEGIN IMMEDIATE').run();
    return {
      waiting: async () => {},
      failWaits: async () => {},
      release: async () => {
        holder.prepare('ROLLBACK').run();
        holder.close();
      },
    };
  }
  const holder = new pg.Client({ connectionString: t.databaseUrl });
  // The operator's session, outside any transaction: within one, pg_stat_activity keeps showing its first snapshot.
  const operator = new pg.Client({ connectionString: t.databaseUrl });
  await Promise.all([holder.connect(), operator.connect()]);
  await holder.query('BEGIN');
  // Readers go on; store_batch's first statement locks the session's row, and waits.
  await holder.query('LOCK TABLE sessions IN EXCLUSIVE MODE');
  const waitingPids = async () =>
    (await operator.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows.map((row) => row.pid);
  return {
    async waiting(count) {
      while ((await waitingPids()).length < count) await pause();
    },
    async failWaits(settled) {
      let done = false;
      void settled.finally(() => (done = true));
      while (!done) {
        for (const pid of await waitingPids()) await operator.query('SELECT pg_terminate_backend($1)', [pid]);
        await pause();
      }
    },
    async release() {
      await holder.query('ROLLBACK');
      await Promise.all([holder.end(), operator.end()]);
    },
  };
}

describeAppOnBothBackends('POST /api/ingest while another connection holds the write lock', (backend) => {
  let t: BackendTestApp;
  beforeEach(() => {
    t = backend();
  });

  it('answers 503 with Retry-After when the wait fails, writes nothing, and stores the same batches once the lock is gone', async () => {
    t.db?.pragma('busy_timeout = 50');
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })))).status).toBe(200);
    const before = await tableCounts(t);

    const lock = await holdLock(t);
    const bodies = [
      gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0 + 5000) })),
      gzipJson(makeBatch({ sessionId: 'session-0002', pageId: 'page-0002' })),
    ];
    const refused = Promise.all(bodies.map((body) => postIngest(t.app, t.site.key, body)));
    await lock.failWaits(refused);
    for (const res of await refused) await expectUnavailable(res, BUSY_RETRY_AFTER_S);
    await lock.release();
    expect(await tableCounts(t)).toEqual(before);

    const retried = await Promise.all(bodies.map((body) => postIngest(t.app, t.site.key, body)));
    expect(await Promise.all(retried.map((res) => res.json()))).toEqual([
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
    ]);
    expect(await eventCount(t, 'session-0001')).toBe(8);
    expect(t.errors).toHaveLength(1); // the one rate-limited log line for the 503s
  });

  it('keeps serving while the batches wait for the lock, and stores them once it is free', async () => {
    const lock = await holdLock(t);
    let settled = 0;
    const posts = [0, 1].map((seq) =>
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events: sampleEvents(T0 + seq * 5000) }))).finally(() => settled++),
    );
    // On PostgreSQL the two batches may share one store_batches call: one backend waiting is enough.
    await lock.waiting(t.db ? 0 : 1);
    // Were SQLite's writer waiting in SQLite's busy handler, this request would be answered only once
    // busy_timeout (5 s) ran out, and the batches would have failed with 503 by then.
    expect((await t.app.request('/api/health')).status).toBe(200);
    expect(settled).toBe(0);
    await lock.release();
    const answers = await Promise.all(posts);
    expect(answers.map((res) => res.status)).toEqual([200, 200]);
    expect(await tableCounts(t)).toMatchObject({ chunks: 2, analysis_queue: 2 });
    // SQLite's writer sets busy_timeout to 0 while it tries, and puts it back.
    if (t.db) expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(t.errors).toEqual([]);
  });
});

describeAppOnPostgres('POST /api/ingest while PostgreSQL cannot be reached', (backend) => {
  let t: BackendTestApp;
  let closing: Array<() => Promise<void>> = [];
  beforeEach(() => {
    t = backend();
  });
  afterEach(async () => {
    for (const close of closing.reverse()) await close();
    closing = [];
  });

  it('answers 503 with Retry-After while the server is out of reach, and stores the same batches once it is back', async () => {
    // The app reaches the database through a proxy that can be cut, as a network or a failover would.
    const target = new URL(t.databaseUrl!);
    const proxy = await startTcpProxy(Number(target.port));
    closing.push(() => proxy.close());
    const viaProxy = new URL(target);
    viaProxy.port = String(proxy.port);
    const node = await openPostgresBackend(viaProxy.toString(), { limits: UNLIMITED, demoSite: false });
    closing.push(() => node.close());
    const errors: unknown[] = [];
    const app = createApp({ postgres: node.backend, adminToken: TEST_ADMIN_TOKEN, logError: (_message, err) => errors.push(err) });
    expect((await postIngest(app, t.site.key, gzipJson(makeBatch({ seq: 0 })))).status).toBe(200);
    const before = await tableCounts(t);

    await proxy.cut();
    const bodies = [
      gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0 + 5000) })),
      gzipJson(makeBatch({ sessionId: 'session-0002', pageId: 'page-0002' })),
    ];
    for (const res of await Promise.all(bodies.map((body) => postIngest(app, t.site.key, body)))) await expectUnavailable(res, BUSY_RETRY_AFTER_S);
    expect(await tableCounts(t)).toEqual(before);

    await proxy.restore();
    const retried = await Promise.all(bodies.map((body) => postIngest(app, t.site.key, body)));
    expect(await Promise.all(retried.map((res) => res.json()))).toEqual([
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
    ]);
    expect(await eventCount(t, 'session-0001')).toBe(8);
    expect(errors).toHaveLength(1); // the one rate-limited log line for the 503s
  });
});

// SQLite only. A PostgreSQL disk full (SQLSTATE 53100) is answered the same way (pg-batch-writer.test.ts), but a
// test cannot fill the disk under the run's shared cluster; and PostgreSQL's writer remembers nothing between
// batches, so there is nothing for it to forget.
describe('POST /api/ingest with the disk full [sqlite]', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('answers 503 with Retry-After and leaves nothing half-written, then stores the batch once there is room', async () => {
    t = createTestApp();
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })))).status).toBe(200);
    const before = await tableCounts(onSqlite(t.db));
    // SQLite's own size limit on this connection: no page past those already in the file.
    const pages = t.db.pragma('page_count', { simple: true }) as number;
    t.db.pragma(`max_page_count = ${pages}`);
    // Events that do not compress: the body needs pages the file does not have.
    const noise = randomBytes(64 * 1024).toString('base64');
    const large = makeBatch({ seq: 1, events: [...sampleEvents(T0 + 5000, 3), { type: 5, timestamp: T0 + 5100, data: { tag: 'noise', payload: { noise } } } as never] });
    const body = gzipJson(large);
    await expectUnavailable(await postIngest(t.app, t.site.key, body), STORAGE_RETRY_AFTER_S);
    expect(await tableCounts(onSqlite(t.db))).toEqual(before);
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ eventCount: 4 });

    t.db.pragma(`max_page_count = ${pages * 100}`);
    expect(await (await postIngest(t.app, t.site.key, body)).json()).toEqual({ stored: true, duplicate: false });
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ eventCount: 8 });
  });

  it('forgets what it remembered of sessions whose writes rolled back with the group', async () => {
    t = createTestApp();
    let diskFull = false;
    const { analysisQueue } = t.repos;
    const enqueue = analysisQueue.enqueue.bind(analysisQueue);
    // The disk fills up while the second batch of a group is stored; the first was written, and is
    // rolled back with it.
    analysisQueue.enqueue = (sessionId, seq, now) => {
      if (diskFull && sessionId === 'session-0002') throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      enqueue(sessionId, seq, now);
    };

    // Seq 3 arrives first; seq 1, retried from the browser's queue, comes in the group that fails.
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 3, events: sampleEvents(T0 + 10_000) })))).status).toBe(200);
    const earlier = gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0) }));
    const group = [earlier, gzipJson(makeBatch({ sessionId: 'session-0002', pageId: 'page-0002' }))];
    diskFull = true;
    for (const res of await Promise.all(group.map((body) => postIngest(t.app, t.site.key, body)))) await expectUnavailable(res, STORAGE_RETRY_AFTER_S);
    diskFull = false;
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ startedAt: T0 + 10_000, eventCount: 4 });
    // Had the store kept believing seq 1 stored, its retry would not count as the session's first
    // batch, and the session would keep starting at seq 3.
    expect(await (await postIngest(t.app, t.site.key, earlier)).json()).toEqual({ stored: true, duplicate: false });
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ startedAt: T0, eventCount: 8 });
  });
});
