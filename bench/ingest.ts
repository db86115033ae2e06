// Ingest throughput bench: the real app against a bare gunzip-and-insert route, same bodies, same load.
// Run: npm run bench:ingest [-- path/to/recording.json]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { median } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';
import { startServerChild, type ServerChild } from './server-child';

const RECORDING = process.argv[2] ?? fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url));
const CONNECTIONS = 10;
const WARMUP_REQUESTS = 5_000;
const MEASURED_REQUESTS = 20_000;
/** Rounds alternate which server goes first, so drift (heat, other load) hits both alike. */
const ROUNDS = 3;
/** The real app must reach this fraction of the baseline's batches per second. */
const TARGET_RATIO = 0.7;

interface Measurement {
  batchesPerSecond: number;
  p99Ms: number;
  /** Server CPU per batch: unlike throughput, barely moved by other processes on the machine. */
  cpuMicrosPerBatch: number;
}

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
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return { result, seconds: (lastResponse - started) / 1000 };
}

async function measure(target: ServerChild, bodies: Buffer[]): Promise<Measurement> {
  const cpuBefore = await target.cpuMicros();
  const { result, seconds } = await drive(target, bodies, MEASURED_REQUESTS);
  const cpu = (await target.cpuMicros()) - cpuBefore;
  const batches = result['2xx'];
  return { batchesPerSecond: batches / seconds, p99Ms: result.latency.p99, cpuMicrosPerBatch: cpu / batches };
}

const templates = sliceRecording(loadRecording(RECORDING));
const eventsPerSession = templates.reduce((sum, t) => sum + t.events.length, 0);
const totalBodies = WARMUP_REQUESTS + ROUNDS * MEASURED_REQUESTS;
console.log(`Recording ${RECORDING}: ${eventsPerSession} events, sent as ${templates.length} batches per session`);
const bodies = buildBodies(templates, totalBodies, randomBytes(4).toString('hex'));
const meanBytes = Math.round(bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length);
console.log(`${totalBodies} unique gzip bodies, mean ${meanBytes} bytes; ${CONNECTIONS} connections; ${MEASURED_REQUESTS} requests per measurement\n`);

/** Load makes both servers slower, the bare route more so, which flatters the ratio: every run says what it had. */
const loadAverages = () => loadavg().map((load) => load.toFixed(2)).join(' ');
const loadAtStart = loadAverages();
const real = await startServerChild('frictionlens', './app-server.ts');
const baseline = await startServerChild('baseline', './baseline-server.ts');
const results = new Map<ServerChild, Measurement[]>([
  [real, []],
  [baseline, []],
]);
try {
  for (const target of [baseline, real]) await drive(target, bodies, WARMUP_REQUESTS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? [baseline, real] : [real, baseline]) {
      const m = await measure(target, bodies);
      results.get(target)!.push(m);
      console.log(
        `round ${round + 1}  ${target.name.padEnd(12)} ${m.batchesPerSecond.toFixed(0).padStart(6)} batches/s` +
          `  p99 ${String(m.p99Ms).padStart(3)} ms  server CPU ${m.cpuMicrosPerBatch.toFixed(0)} µs/batch  load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
} finally {
  const [realReport, baselineReport] = [await real.stop(), await baseline.stop()];
  console.log(`\nStored ${realReport.chunks} chunks in frictionlens and ${baselineReport.chunks} in the baseline (${totalBodies} sent to each)`);
  printAnalysis(realReport);
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
  };
};
const r = summarize(real);
const b = summarize(baseline);
const ratio = r.rate / b.rate;
console.log(`\nLoad average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAverages()}`);
console.log(`Median of ${ROUNDS} rounds:`);
console.log(`  baseline      ${b.rate.toFixed(0).padStart(6)} batches/s  p99 ${b.p99} ms  CPU ${b.cpu.toFixed(0)} µs/batch`);
console.log(`  frictionlens  ${r.rate.toFixed(0).padStart(6)} batches/s  p99 ${r.p99} ms  CPU ${r.cpu.toFixed(0)} µs/batch`);
console.log(`  CPU ratio (baseline/frictionlens): ${(b.cpu / r.cpu).toFixed(2)}`);
console.log(`  throughput ratio ${ratio.toFixed(2)}x of baseline: ${ratio >= TARGET_RATIO ? 'meets' : 'MISSES'} the ${TARGET_RATIO}x target`);
process.exitCode = ratio >= TARGET_RATIO ? 0 : 1;
