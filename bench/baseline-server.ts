// Bench child: the floor to compare against, one Hono route that gunzips a body and inserts it into SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { MAX_BATCH_INFLATED_BYTES } from '../recorder/src/wire/format';
import { answerBench } from './child-control';

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-baseline-'));
const db = new Database(join(dataDir, 'baseline.db'));
// The same durability settings as the real server, so the comparison measures our code, not fsync.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  'CREATE TABLE chunks (id INTEGER PRIMARY KEY, body BLOB NOT NULL, inflated_bytes INTEGER NOT NULL, received_at INTEGER NOT NULL) STRICT',
);
const insert = db.prepare<[Buffer, number, number]>('INSERT INTO chunks (body, inflated_bytes, received_at) VALUES (?, ?, ?)');

const app = new Hono();
app.post('/api/ingest', async (c) => {
  const body = Buffer.from(await c.req.arrayBuffer());
  const json = gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES });
  insert.run(body, json.length, Date.now());
  return c.json({ stored: true, duplicate: false });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: 'baseline' }, () => {
    const chunks = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    server.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    return { chunks };
  });
});
