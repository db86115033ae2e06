// Ingest when the database cannot write: locked by another connection past busy_timeout, or the disk full.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../db/open-database';
import { BUSY_RETRY_AFTER_S, STORAGE_RETRY_AFTER_S } from '../errors/database-unavailable';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from '../testing/test-app';

const T0 = 1_700_000_000_000;
let t: TestApp;
afterEach(() => t?.close());

/** Every table ingest writes, counted: after a refused group they must be as before it. */
function tableCounts(db: Database.Database): Record<string, number> {
  const tables = ['sessions', 'pages', 'chunks', 'analysis_queue'];
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number]));
}

async function expectUnavailable(res: Response, retryAfterS: number): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(String(retryAfterS));
  expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable');
}

describe('POST /api/ingest while another connection holds the write lock past busy_timeout', () => {
  it('answers 503 with Retry-After, writes nothing, and stores the same batches once the lock is gone', async () => {
    t = createTestApp();
    t.db.pragma('busy_timeout = 50');
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })))).status).toBe(200);
    const before = tableCounts(t.db);

    const holder = new Database(databasePath(t.dataDir));
    holder.prepare('BEGIN IMMEDIATE').run();
    const bodies = [
      gzipJson(makeBatch({ seq: 1, events: sampleEvents(T0 + 5000) })),
      gzipJson(makeBatch({ sessionId: 'session-0002', pageId: 'page-0002' })),
    ];
    const refused = await Promise.all(bodies.map((body) => postIngest(t.app, t.site.key, body)));
    for (const res of refused) await expectUnavailable(res, BUSY_RETRY_AFTER_S);
    holder.prepare('ROLLBACK').run();
    holder.close();
    expect(tableCounts(t.db)).toEqual(before);

    const retried = await Promise.all(bodies.map((body) => postIngest(t.app, t.site.key, body)));
    expect(await Promise.all(retried.map((res) => res.json()))).toEqual([
      { stored: true, duplicate: false },
      { stored: true, duplicate: false },
    ]);
    expect(t.repos.sessions.get('session-0001')).toMatchObject({ eventCount: 8 });
    expect(t.errors).toHaveLength(1); // the one rate-limited log line for the 503s
  });
});

describe('POST /api/ingest while another connection holds the write lock for a moment', () => {
  it('keeps serving while the batches wait for the lock, and stores them once it is free', async () => {
    t = createTestApp();
    const holder = new Database(databasePath(t.dataDir));
    holder.prepare('BEGIN IMMEDIATE').run();
    let settled = 0;
    const posts = [0, 1].map((seq) =>
      postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events: sampleEvents(T0 + seq * 5000) }))).finally(() => settled++),
    );
    // Were the writer waiting in SQLite's busy handler, this request would be answered only once
    // busy_timeout (5 s) ran out, and the batches would have failed with 503 by then.
    expect((await t.app.request('/api/health')).status).toBe(200);
    expect(settled).toBe(0);
    holder.prepare('ROLLBACK').run();
    holder.close();
    const answers = await Promise.all(posts);
    expect(answers.map((res) => res.status)).toEqual([200, 200]);
    expect(tableCounts(t.db)).toMatchObject({ chunks: 2, analysis_queue: 2 });
    expect(t.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});

describe('POST /api/ingest with the disk full', () => {
  it('answers 503 with Retry-After and leaves nothing half-written, then stores the batch once there is room', async () => {
    t = createTestApp();
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })))).status).toBe(200);
    const before = tableCounts(t.db);
    // SQLite's own size limit on this connection: no page past those already in the file.
    const pages = t.db.pragma('page_count', { simple: true }) as number;
    t.db.pragma(`max_page_count = ${pages}`);
    // Events that do not compress: the body needs pages the file does not have.
    const noise = randomBytes(64 * 1024).toString('base64');
    const large = makeBatch({ seq: 1, events: [...sampleEvents(T0 + 5000, 3), { type: 5, timestamp: T0 + 5100, data: { tag: 'noise', payload: { noise } } } as never] });
    const body = gzipJson(large);
    await expectUnavailable(await postIngest(t.app, t.site.key, body), STORAGE_RETRY_AFTER_S);
    expect(tableCounts(t.db)).toEqual(before);
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
