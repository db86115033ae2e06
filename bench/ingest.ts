// Ingest throughput bench: the real app against a bare gunzip-and-insert route, same bodies, same load.
// Run: npm run bench:ingest [-- path/to/recording.json] [--postgres [--floor] | --ingest-alone]
// --postgres: the real app on PostgreSQL against a bare route inserting into PostgreSQL, with the
// SQLite app, and one node against two behind a round-robin proxy, in the same rounds.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { median } from './bench-args';
import { startPostgresTargets, type PostgresTargets } from './postgres-targets';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';
import { startServerChild, type ServerChild } from './server-child';

const POSTGRES = process.argv.includes('--postgres');
/**
 * --ingest-alone: on SQLite, a third server in the same rounds, the real app with no analysis process
 * beside it, so the cost of the analysis process to ingest is read from one run.
 */
const INGEST_ALONE = !POSTGRES && process.argv.includes('--ingest-alone');
/**
 * --floor: on PostgreSQL, a server that writes only the rows frictionlens's schema needs for a batch
 * (bench/floor-server-postgres.ts), so the target can be judged against the least any ingest on
 * that schema costs.
 */
const FLOOR = POSTGRES && process.argv.includes('--floor');
const RECORDING = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url));
const CONNECTIONS = 10;
const WARMUP_REQUESTS = 5_000;
const MEASURED_REQUESTS = 20_000;
/** Rounds alternate which server goes first, so drift (heat, other load) hits both alike. */
const ROUNDS = 3;
/** On --postgres, how many sessions' batches are sent seq by seq (see oneBatchOfASessionAtATime). */
const SESSIONS_INTERLEAVED = 200;
/** The real app must reach this fraction of the baseline's batches per second. */
const TARGET_RATIO = 0.7;

interface Measurement {
  batchesPerSecond: number;
  p99Ms: number;
  /** Server CPU per batch: unlike throughput, barely moved by other processes on the machine. */
  cpuMicrosPerBatch: number;
  /** The PostgreSQL cluster's CPU per batch over the same measurement (0 on SQLite, whose work is in the server's). */
  databaseCpuMicrosPerBatch: number;
}

/** 409 session_conflict answers per server, on --postgres only. */
const sessionConflicts = new Map<ServerChild, number>();

/** Each server sees every body once, in order, so no request takes the cheaper duplicate path. */
const nextBody = new Map<ServerChild, number>();

async function drive(target: ServerChild, bodies: Buffer[], amount: number): Promise<{ result: AutocannonResult; seconds: number }> {
  const started = performance.now();
  let lastResponse = started;
  const run = autocannon({
    url: `http://127.0.0.1:${target.port}`,
    connections: CONNECTIONS,
    pipelining: 1,
    amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        // The recorder's real request: key and encoding in the query, CORS-safelisted text/plain.
        path: `/api/ingest?key=${encodeURIComponent(target.key)}&enc=gzip`,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        setupRequest(request) {
          const index = nextBody.get(target) ?? 0;
          nextBody.set(target, index + 1);
          request.body = bodies[index];
          return request;
        },
      },
    ],
  });
  // autocannon notices the end only on its 1 s tick, so time to the last response instead.
  run.on('response', () => {
    lastResponse = performance.now();
  });
  const result = await run;
  // See oneBatchOfASessionAtATime: the rare 409 left on PostgreSQL is counted and reported, not fatal.
  const conflicts = POSTGRES ? (result.statusCodeStats?.['409']?.count ?? 0) : 0;
  if (conflicts > 0) sessionConflicts.set(target, (sessionConflicts.get(target) ?? 0) + conflicts);
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > conflicts) {
    const statuses = Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => `${status}: ${count}`);
    throw new Error(`${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx (${statuses.join(', ')})`);
  }
  return { result, seconds: (lastResponse - started) / 1000 };
}

/** Targets on PostgreSQL: the cluster's CPU is counted beside theirs. */
const onPostgres = new Set<ServerChild>();
let databaseCpu = () => 0;

async function measure(target: ServerChild, bodies: Buffer[]): Promise<Measurement> {
  const cpuBefore = await target.cpuMicros();
  const databaseBefore = databaseCpu();
  const { result, seconds } = await drive(target, bodies, MEASURED_REQUESTS);
  const cpu = (await target.cpuMicros()) - cpuBefore;
  const database = onPostgres.has(target) ? databaseCpu() - databaseBefore : 0;
  const batches = result['2xx'];
  return { batchesPerSecond: batches / seconds, p99Ms: result.latency.p99, cpuMicrosPerBatch: cpu / batches, databaseCpuMicrosPerBatch: database / batches };
}

/**
 * buildBodies gives each session's batches one after another, so the 10 connections post several
 * batches of one session at once, which SQLite's single writer takes in turn. A recorder posts one
 * batch of its session at a time, and on PostgreSQL two first batches of one new session stored at
 * once can be refused (409 session_conflict: store_batch's check for another site's session sees
 * the other transaction's row once it commits). So on --postgres every server gets the bodies of
 * SESSIONS_INTERLEAVED sessions at a time, seq by seq: a session's next batch is sent that many
 * requests after its last (20 was not enough behind the proxy, whose queueing reorders requests).
 */
function oneBatchOfASessionAtATime(inOrder: Buffer[], batchesPerSession: number): Buffer[] {
  const block = SESSIONS_INTERLEAVED * batchesPerSession;
  const reordered: Buffer[] = [];
  for (let start = 0; start < inOrder.length; start += block) {
    const indexes = Array.from({ length: Math.min(block, inOrder.length - start) }, (_, i) => start + i);
    indexes.sort((a, b) => (a % batchesPerSession) - (b % batchesPerSession) || a - b);
    reordered.push(...indexes.map((index) => inOrder[index]!));
  }
  return reordered;
}

const templates = sliceRecording(loadRecording(RECORDING));
const eventsPerSession = templates.reduce((sum, t) => sum + t.events.length, 0);
const totalBodies = WARMUP_REQUESTS + ROUNDS * MEASURED_REQUESTS;
console.log(`Recording ${RECORDING}: ${eventsPerSession} events, sent as ${templates.length} batches per session`);
const built = buildBodies(templates, totalBodies, randomBytes(4).toString('hex'));
const bodies = POSTGRES ? oneBatchOfASessionAtATime(built, templates.length) : built;
const meanBytes = Math.round(bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length);
console.log(`${totalBodies} unique gzip bodies, mean ${meanBytes} bytes; ${CONNECTIONS} connections; ${MEASURED_REQUESTS} requests per measurement\n`);

/** Load makes both servers slower, the bare route more so, which flatters the ratio: every run says what it had. */
const loadAverages = () => loadavg().map((load) => load.toFixed(2)).join(' ');
const loadAtStart = loadAverages();
let postgres: PostgresTargets | undefined;
let real: ServerChild;
let baseline: ServerChild;
/** Besides the real app and its baseline, on --postgres: the SQLite app, one node and two behind the proxy. */
let others: ServerChild[] = [];
/** On --postgres --floor: the schema's floor, one of the others. */
let floor: ServerChild | undefined;
if (POSTGRES) {
  postgres = await startPostgresTargets();
  ({ real, baseline } = postgres);
  others = [postgres.sqlite, postgres.oneNode, postgres.twoNodes];
  for (const target of [real, baseline, postgres.oneNode, postgres.twoNodes]) onPostgres.add(target);
  if (FLOOR) {
    floor = await postgres.startFloor();
    others.push(floor);
    onPostgres.add(floor);
  }
  databaseCpu = postgres.databaseCpuMicros;
} else {
  real = await startServerChild('frictionlens', './app-server.ts');
  baseline = await startServerChild('baseline', './baseline-server.ts');
  if (INGEST_ALONE) others = [await startServerChild('ingest alone', './app-server.ts', { BENCH_ANALYSIS: 'off' })];
}
const targets = [baseline, real, ...others];
const results = new Map<ServerChild, Measurement[]>(targets.map((target) => [target, []]));
const nameWidth = Math.max(12, ...targets.map((target) => target.name.length));
try {
  for (const target of targets) await drive(target, bodies, WARMUP_REQUESTS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      // Every server starts from idle: the analysis of the last round's batches, still catching up,
      // would otherwise take the cores from whichever server is measured next (the bare route in
      // two rounds of three).
      for (const other of targets) await other.settle();
      const m = await measure(target, bodies);
      results.get(target)!.push(m);
      const database = onPostgres.has(target) ? ` + database ${m.databaseCpuMicrosPerBatch.toFixed(0)} µs/batch` : '';
      console.log(
        `round ${round + 1}  ${target.name.padEnd(nameWidth)} ${m.batchesPerSecond.toFixed(0).padStart(6)} batches/s` +
          `  p99 ${String(m.p99Ms).padStart(3)} ms  server CPU ${m.cpuMicrosPerBatch.toFixed(0)} µs/batch${database}  load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
} finally {
  const [realReport, baselineReport] = [await real.stop(), await baseline.stop()];
  console.log(`\nStored ${realReport.chunks} chunks in frictionlens and ${baselineReport.chunks} in the baseline (${totalBodies} sent to each)`);
  for (const other of others) {
    const report = await other.stop();
    console.log(`Stored ${report.chunks} chunks in ${other.name}${report.answered ? ` (the proxy's nodes answered ${(report.answered as number[]).join(' and ')})` : ''}`);
  }
  await postgres?.stop();
  for (const [target, count] of sessionConflicts) console.log(`${target.name}: ${count} batches refused 409 session_conflict (concurrent first batches of one session)`);
  if (POSTGRES) console.log('Analysis: off on every server (ingest alone, on PostgreSQL and on SQLite alike)');
  else printAnalysis(realReport);
}

/** The analysis pass ran beside ingest (at lower priority): how far behind it fell, and how it caught up. */
function printAnalysis(report: Record<string, unknown>): void {
  if (report.analysed === undefined || report.analysed === 0) return console.log('Analysis: off (BENCH_ANALYSIS=off)');
  const depths = report.depths as Array<[number, number]>;
  const peak = depths.reduce((max, [, depth]) => Math.max(max, depth), 0);
  console.log(`Analysis: ${report.analysed} batches analysed; lag from stored to friction queryable p50 ${report.lagP50Ms} ms, p99 ${report.lagP99Ms} ms`);
  console.log(`  queue drained ${report.drainedAfterLoadMs === null ? 'NOT within the limit' : `${((report.drainedAfterLoadMs as number) / 1000).toFixed(1)} s`} after the load ended; peak depth ${peak}`);
  console.log(`  queue depth over time (s: depth): ${depths.filter((_, i) => i % 5 === 0).map(([s, d]) => `${s}: ${d}`).join(', ')}`);
}

const summarize = (target: ServerChild) => {
  const ms = results.get(target)!;
  return {
    rate: median(ms.map((m) => m.batchesPerSecond)),
    p99: median(ms.map((m) => m.p99Ms)),
    cpu: median(ms.map((m) => m.cpuMicrosPerBatch)),
    database: median(ms.map((m) => m.databaseCpuMicrosPerBatch)),
  };
};
const r = summarize(real);
const b = summarize(baseline);
const ratio = r.rate / b.rate;
console.log(`\nLoad average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAverages()}`);
console.log(`Median of ${ROUNDS} rounds:`);
for (const target of targets) {
  const m = summarize(target);
  const database = onPostgres.has(target) ? ` + database ${m.database.toFixed(0)} µs/batch` : '';
  console.log(`  ${target.name.padEnd(nameWidth)}  ${m.rate.toFixed(0).padStart(6)} batches/s  p99 ${m.p99} ms  CPU ${m.cpu.toFixed(0)} µs/batch${database}`);
}
console.log(`  CPU ratio (baseline/frictionlens): ${(b.cpu / r.cpu).toFixed(2)}`);
if (postgres) {
  const [sqlite, one, two] = [postgres.sqlite, postgres.oneNode, postgres.twoNodes].map(summarize) as [typeof r, typeof r, typeof r];
  console.log(`  PostgreSQL against SQLite (real app, throughput): ${(r.rate / sqlite.rate).toFixed(2)}x`);
  console.log(`  two nodes against one, both behind the proxy (throughput): ${(two.rate / one.rate).toFixed(2)}x`);
}
if (floor) {
  const f = summarize(floor);
  console.log(`  the schema's floor (its rows alone, grouped as the real writer groups): ${(f.rate / b.rate).toFixed(2)}x of baseline; the real app ${(r.rate / f.rate).toFixed(2)}x of the floor`);
}
if (INGEST_ALONE) console.log(`  the real app with no analysis process: ${(summarize(others[0]!).rate / b.rate).toFixed(2)}x of baseline`);
console.log(`  throughput ratio ${ratio.toFixed(2)}x of baseline: ${ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} the ${TARGET_RATIO}x target`);
process.exitCode = ratio >= TARGET_RATIO ? 0 : 1;
