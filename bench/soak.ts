// Soak bench: 200 simulated recorders at the recorder's rhythm against the real server and its analysis process for 5 minutes; counts checked after, memory followed throughout.
// Run: npm run bench:soak [-- --recorders 200 --minutes 5]
import { readFileSync } from 'node:fs';
import type { CreatedSite } from '../server/src/api-types';
import { databasePath } from '../server/src/db/open-database';
import { analysisState, auditDelivery } from '../test/support/delivery-audit';
import { analysisPidOf } from '../test/support/process-tree';
import { seededRandom } from '../test/support/seeded-random';
import { RECORDER_FLUSH_MS, startFleet } from '../test/support/simulated-recorders';
import { startFrictionlens } from '../test/support/start-frictionlens';
import { positiveIntOption } from './bench-args';

const RECORDERS = positiveIntOption(process.argv, '--recorders', 200);
const MINUTES = positiveIntOption(process.argv, '--minutes', 5);
const SAMPLE_MS = 15_000;
/** After the load, how long the analysis queue may take to drain before the report gives up. */
const DRAIN_LIMIT_MS = 300_000;

/** Resident memory of a process, from /proc (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

// Behind a proxy, as in production: every recorder is its own client address.
const frictionlens = await startFrictionlens({ TRUST_PROXY: 'on' });
const dbPath = databasePath(frictionlens.dataDir);
const serverPid = frictionlens.pid()!;
let analysisPid = analysisPidOf(serverPid);
for (let tries = 0; analysisPid === undefined && tries < 100; tries++) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  analysisPid = analysisPidOf(serverPid);
}
const site = await frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Soak', origins: ['https://shop.example'] }) });
console.log(`${RECORDERS} recorders, a gzip batch of the checkout recording every ${RECORDER_FLUSH_MS / 1000} s each, for ${MINUTES} min; server pid ${serverPid}, analysis pid ${analysisPid}\n`);
console.log('   time  made    acked  retried  queue  server RSS  analysis RSS');

const started = Date.now();
const fleet = startFleet({
  origin: frictionlens.origin,
  key: site.key,
  recorders: RECORDERS,
  random: seededRandom(2026),
  sessionPrefix: `soak-${started.toString(36)}`,
  forwardedFor: (index) => `10.3.${index >> 8}.${index & 255}`,
});
const samples: Array<{ s: number; server: number; analysis: number }> = [];
function sample(): void {
  const s = Math.round((Date.now() - started) / 1000);
  const stats = fleet.stats();
  const server = rssMb(serverPid);
  const analysis = rssMb(analysisPid);
  samples.push({ s, server, analysis });
  const queue = analysisState(dbPath).queued;
  console.log(
    `${String(s).padStart(5)} s ${String(stats.made).padStart(5)} ${String(stats.acked).padStart(8)} ${String(stats.retried).padStart(8)} ${String(queue).padStart(6)}` +
      `  ${server.toFixed(0).padStart(7)} MB  ${analysis.toFixed(0).padStart(9)} MB`,
  );
}
const sampler = setInterval(sample, SAMPLE_MS);
await new Promise((resolve) => setTimeout(resolve, MINUTES * 60_000));
await fleet.drained();
const loadEnded = Date.now();
fleet.close();
let state = analysisState(dbPath);
while (state.queued > 0 && Date.now() - loadEnded < DRAIN_LIMIT_MS) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  state = analysisState(dbPath);
}
clearInterval(sampler);
sample();

const stats = fleet.stats();
const audit = auditDelivery(dbPath, fleet.recorders);
const steady = samples.filter((entry) => entry.s >= 60);
const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} MB`;
console.log(`\nbatches: ${stats.made} made, ${stats.acked} acknowledged (${stats.stored} stored, ${stats.duplicates} duplicates), ${stats.retried} retried, dropped ${JSON.stringify(stats.dropped)}`);
console.log(`stored: ${audit.chunks} batches for ${audit.sessionsExpected} sessions; acknowledged but missing ${audit.ackedMissing}; stored unacknowledged ${audit.storedUnacked}; sessions missing ${audit.sessionsMissing.length}; event counts off ${audit.countMismatches.length}`);
console.log(`analysis: queue ${state.queued === 0 ? `drained ${((Date.now() - loadEnded) / 1000).toFixed(1)} s after the load` : `NOT drained (${state.queued} left)`}; ${state.analysed} of ${state.chunks} batches analysed`);
if (steady.length > 0) console.log(`RSS from the first minute on: server ${range(steady.map((e) => e.server))}, analysis ${range(steady.map((e) => e.analysis))}`);
const ok = audit.ackedMissing === 0 && audit.storedUnacked === 0 && audit.sessionsMissing.length === 0 && audit.countMismatches.length === 0 && state.queued === 0 && stats.acked === stats.made;
console.log(ok ? 'soak: every count as it should be' : 'soak: COUNTS WRONG');
await frictionlens.stop();
process.exit(ok ? 0 : 1);
