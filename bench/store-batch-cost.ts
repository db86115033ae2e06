// store_batch's cost a batch without HTTP: the PostgreSQL batch writer driven directly, its process's CPU and the cluster's, against a variant of the function.
// Run: npx tsx bench/store-batch-cost.ts [--variant path/to/store-batch.sql] [--batches N] [--concurrency N]
// Each round stores fresh batches into two databases of one cluster, taking turns: "current" with
// the migrations as they are, and, with --variant, one whose store_batch (and whatever else the
// file holds) is replaced after migrating, e.g. an older version of the function kept for comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPostgres } from '../server/src/db/postgres/open-postgres';
import { migratePostgres } from '../server/src/db/postgres/migrate-postgres';
import { createPgBatchWriter } from '../server/src/ingest/pg-batch-writer';
import { decodeBatchSummary } from '../server/src/ingest/decode-batch';
import type { BatchToStore } from '../server/src/ingest/store-batch';
import { startPostgres } from '../test/support/start-postgres';
import { median, positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';
import { readVariantSql } from './variant-sql';

const RECORDING = fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url));
/** As bench/ingest.ts: ten requests in flight (the pool's size), a session's batches SESSIONS_INTERLEAVED requests apart. */
const CONCURRENCY = positiveIntOption(process.argv, '--concurrency', 10);
const SESSIONS_INTERLEAVED = 200;
const ROUNDS = 3;
const MICROS_PER_TICK = 10_000;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const batchesPerRound = positiveIntOption(process.argv, '--batches', 12_000);
const variantIndex = process.argv.indexOf('--variant');
const variantPath = variantIndex >= 0 ? process.argv[variantIndex + 1] : undefined;

function clusterCpuMicros(postmasterPid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(entry) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * MICROS_PER_TICK;
}

/** The inputs the ingest route would hand the writer, a session's batches SESSIONS_INTERLEAVED apart. */
function inputs(siteId: string, count: number): BatchToStore[] {
  const templates = sliceRecording(loadRecording(RECORDING));
  const bodies = buildBodies(templates, count, randomBytes(4).toString('hex'));
  const perSession = templates.length;
  const block = SESSIONS_INTERLEAVED * perSession;
  const order: number[] = [];
  for (let start = 0; start < bodies.length; start += block) {
    const indexes = Array.from({ length: Math.min(block, bodies.length - start) }, (_, i) => start + i);
    indexes.sort((a, b) => (a % perSession) - (b % perSession) || a - b);
    order.push(...indexes);
  }
  const receivedAt = Date.now();
  return order.map((index) => {
    const body = bodies[index]!;
    const { summary, json } = decodeBatchSummary(body, true);
    return { siteId, batch: summary, gzipBody: body, inflatedBytes: json.length, userAgent: USER_AGENT, receivedAt };
  });
}

interface Target {
  name: string;
  pool: pg.Pool;
  siteId: string;
  cpu: number[];
  database: number[];
}

async function target(cluster: Awaited<ReturnType<typeof startPostgres>>, name: string, variant?: string): Promise<Target> {
  const pool = openPostgres(await cluster.createDatabase(name));
  await migratePostgres(pool);
  if (variant) await pool.query(readVariantSql(variant));
  const siteId = `site-${name}`;
  await pool.query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ($1, $1, $1, '["self"]', 0)`, [siteId]);
  return { name, pool, siteId, cpu: [], database: [] };
}

const cluster = await startPostgres({ durable: true });
try {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const { rows } = await admin.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
  await admin.end();
  const pid = Number(readFileSync(join(rows[0]!.setting, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const targets = [await target(cluster, 'current')];
  if (variantPath) targets.push(await target(cluster, 'variant', variantPath));
  // A warm-up round per target, not counted: connections made, statements prepared, buffers filled.
  for (let round = -1; round < ROUNDS; round++) {
    for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
      const work = inputs(t.siteId, round < 0 ? 2_000 : batchesPerRound);
      const write = createPgBatchWriter(t.pool);
      let next = 0;
      const cpuBefore = process.cpuUsage();
      const databaseBefore = clusterCpuMicros(pid);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < work.length) await write(work[next++]!);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpuBefore);
      const cpu = (used.user + used.system) / work.length;
      const database = (clusterCpuMicros(pid) - databaseBefore) / work.length;
      if (round < 0) continue;
      t.cpu.push(cpu);
      t.database.push(database);
      console.log(`round ${round + 1}  ${t.name.padEnd(8)} ${(work.length / seconds).toFixed(0).padStart(6)} batches/s  writer CPU ${cpu.toFixed(0)} µs + database ${database.toFixed(0)} µs a batch`);
    }
  }
  console.log(`\nMedians of ${ROUNDS} rounds of ${batchesPerRound} batches:`);
  for (const t of targets) console.log(`  ${t.name.padEnd(8)} writer CPU ${median(t.cpu).toFixed(0)} µs + database ${median(t.database).toFixed(0)} µs a batch`);
  for (const t of targets) await t.pool.end();
} finally {
  await cluster.stop();
}
