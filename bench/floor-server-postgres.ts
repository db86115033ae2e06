// Bench child: the least any ingest on frictionlens's PostgreSQL schema can do, to judge the 0.7x target against.
//
// The bare route inflates a body and inserts it into one table whose only index is its key. Storing
// a batch in frictionlens's schema writes more rows whatever the code: the batch's chunk, its
// analysis queue row, its session's totals and its page, each with the indexes and foreign keys the
// schema asks for (site-led keys, the session list's sorts, the weekly partitions). This child
// writes exactly those rows and nothing else. Like the real writer it groups the batches that queue
// while its calls are busy into one statement (one round trip and one commit for the group); it
// reads each batch's summary as the real route does (inflate and scan), but checks no cap, no
// duplicate and no owner, parses no user agent and asks no admission.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { decodeBatchSummary } from '../server/src/ingest/decode-batch';
import type { BatchSummary } from '../server/src/ingest/store-batch';
import { MAX_BATCHES_PER_GROUP, MAX_GROUP_CALLS_IN_FLIGHT } from '../server/src/ingest/pg-batch-writer';
import { migratePostgres } from '../server/src/db/postgres/migrate-postgres';
import { openPostgres } from '../server/src/db/postgres/open-postgres';
import { answerBench } from './child-control';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must name the PostgreSQL database this bench child may fill');
const pool = openPostgres(url);
await migratePostgres(pool);
const SITE_ID = 'floor';
await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, $1, $1, '[]', 0)`, [SITE_ID]);

/**
 * A group's sessions (inserted, or their totals added to, in id order so groups cannot deadlock),
 * their new pages, the chunks and the queue rows, in one statement. The foreign keys' checks run at
 * its end and see the rows it wrote.
 */
const STORE_GROUP = `
WITH b AS (
  SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::integer[], $8::bigint[], $9::integer[], $10::bigint[])
    WITH ORDINALITY AS b(session_id, seq, page_id, url, first_ts, last_ts, events, inflated, body_length, snapshot_ts, pos)
), starts AS (
  SELECT b.*, (sum(b.body_length) OVER (ORDER BY b.pos) - b.body_length + 1)::integer AS body_start FROM b
), s AS (
  INSERT INTO sessions AS t (site_id, id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at, inflated_bytes, first_seq)
  SELECT $11, g.session_id, g.first_ts, g.last_ts, 1, g.events, g.url, '', $12, $12, g.inflated, g.seq
  FROM (
    SELECT b.session_id, min(b.first_ts) AS first_ts, max(b.last_ts) AS last_ts, sum(b.events) AS events,
      sum(b.inflated) AS inflated, min(b.seq) AS seq, min(b.url) AS url
    FROM b GROUP BY b.session_id
  ) g ORDER BY g.session_id COLLATE "C"
  ON CONFLICT (site_id, id) DO UPDATE SET
    ended_at = greatest(t.ended_at, EXCLUDED.ended_at), event_count = t.event_count + EXCLUDED.event_count,
    inflated_bytes = t.inflated_bytes + EXCLUDED.inflated_bytes, updated_at = EXCLUDED.updated_at
  RETURNING t.id, t.received_at
), p AS (
  INSERT INTO pages (site_id, session_id, page_id, url, started_at)
  SELECT DISTINCT ON (b.session_id, b.page_id) $11, b.session_id, b.page_id, b.url, b.first_ts FROM b JOIN s ON s.id = b.session_id
  ON CONFLICT DO NOTHING
), c AS (
  INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts)
  SELECT $11, b.session_id, b.seq, s.received_at, b.page_id, b.first_ts, b.last_ts, b.events, substring($13::bytea FROM b.body_start FOR b.body_length), $12, b.snapshot_ts
  FROM starts b JOIN s ON s.id = b.session_id
)
INSERT INTO analysis_queue (site_id, session_id, seq, enqueued_at) SELECT $11, b.session_id, b.seq, $12 FROM b`;

interface Pending {
  summary: BatchSummary;
  body: Buffer;
  inflated: number;
  done: (error?: unknown) => void;
}

let queue: Pending[] = [];
let inFlight = 0;
let scheduled = false;

async function storeGroup(group: Pending[]): Promise<void> {
  const column = <T>(pick: (p: Pending) => T) => group.map(pick);
  try {
    await pool.query({
      name: 'floor-store-group',
      text: STORE_GROUP,
      values: [
        column((p) => p.summary.sessionId), column((p) => p.summary.seq), column((p) => p.summary.pageId), column((p) => p.summary.url),
        column((p) => p.summary.firstTs), column((p) => p.summary.lastTs), column((p) => p.summary.eventCount), column((p) => p.inflated),
        column((p) => p.body.length), column((p) => p.summary.snapshotTs), SITE_ID, Date.now(), Buffer.concat(column((p) => p.body)),
      ],
    });
    for (const pending of group) pending.done();
  } catch (error) {
    for (const pending of group) pending.done(error);
  }
}

/** The real writer's grouping (pg-batch-writer.ts): every call in flight takes what queued meanwhile. */
function pump(): void {
  scheduled = false;
  while (inFlight < MAX_GROUP_CALLS_IN_FLIGHT && queue.length > 0) {
    const group = queue.slice(0, MAX_BATCHES_PER_GROUP);
    queue = queue.slice(group.length);
    inFlight++;
    void storeGroup(group).finally(() => {
      inFlight--;
      if (queue.length > 0 && !scheduled) pump();
    });
  }
}

const app = new Hono();
app.post('/api/ingest', async (c) => {
  const body = Buffer.from(await c.req.arrayBuffer());
  const { summary, json } = decodeBatchSummary(body, true);
  await new Promise<void>((resolve, reject) => {
    queue.push({ summary, body, inflated: json.length, done: (error) => (error ? reject(error) : resolve()) });
    if (!scheduled && inFlight < MAX_GROUP_CALLS_IN_FLIGHT) {
      scheduled = true;
      setImmediate(pump);
    }
  });
  return c.json({ stored: true, duplicate: false });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: SITE_ID }, async () => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM chunks');
    server.close();
    await pool.end();
    return { chunks: Number(rows[0]!.n) };
  });
});
