// Bench child: the floor on PostgreSQL, one Hono route that gunzips a body and inserts it into a table, one round trip a batch.
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import { MAX_BATCH_INFLATED_BYTES } from '../recorder/src/wire/format';
import { POSTGRES_POOL_SIZE } from '../server/src/db/postgres/open-postgres';
import { answerBench } from './child-control';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must name the PostgreSQL database this bench child may fill');
// The same pool size as the real server's, so both wait on connections alike.
const pool = new pg.Pool({ connectionString: url, max: POSTGRES_POOL_SIZE });
await pool.query(
  'CREATE TABLE baseline_chunks (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body bytea NOT NULL, inflated_bytes integer NOT NULL, received_at bigint NOT NULL)',
);

const app = new Hono();
app.post('/api/ingest', async (c) => {
  const body = Buffer.from(await c.req.arrayBuffer());
  const json = gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES });
  await pool.query({
    name: 'baseline-insert',
    text: 'INSERT INTO baseline_chunks (body, inflated_bytes, received_at) VALUES ($1, $2, $3)',
    values: [body, json.length, Date.now()],
  });
  return c.json({ stored: true, duplicate: false });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: 'baseline' }, async () => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM baseline_chunks');
    server.close();
    await pool.end();
    return { chunks: Number(rows[0]!.n) };
  });
});
