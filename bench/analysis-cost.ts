// The analysis pass's whole cost a batch (decode, consumers, detectors and every write), and where its repository time goes.
// Run: npm run bench:analysis-cost [-- --batches 20000]
// N batches of the checkout recording are stored through the real ingest route with no analysis
// running, then the pass the analysis process runs (its own connection, SQLite) drains them in this
// process, so its CPU is measured alone. bench:analysis-speed measures the pure part (decode,
// signals, detectors); this adds what the pass writes and reads.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalysisPass } from '../server/src/analysis/analysis-pass';
import { openSqliteAnalysis } from '../server/src/analysis/open-analysis-backend';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { createRepos } from '../server/src/repos/create-repos';
import { positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';

const BATCHES = positiveIntOption(process.argv.slice(2), '--batches', 20_000);
/** Requests in flight while storing, as the ingest bench's connections. */
const IN_FLIGHT = 10;

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-analysis-cost-'));
const db = openDatabase(dataDir);
const repos = createRepos(db);
const site = repos.sites.create({ name: 'bench', origins: ['self'] });
const app = createApp({ db, repos, adminToken: 'bench-admin-token-0123456789' });
const templates = sliceRecording(loadRecording(fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url))));
const bodies = buildBodies(templates, BATCHES, randomBytes(4).toString('hex'));
for (let i = 0; i < bodies.length; i += IN_FLIGHT) {
  await Promise.all(
    bodies.slice(i, i + IN_FLIGHT).map(async (body) => {
      const response = await app.request(`/api/ingest?key=${site.key}&enc=gzip`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }),
  );
}
const events = templates.reduce((sum, t) => sum + t.events.length, 0) / templates.length;
console.log(`${repos.analysisQueue.depth()} batches queued (about ${events.toFixed(0)} events each)`);

/** Wall time and calls per repository method, synchronous ones only (SQLite's repositories are). */
const spent = new Map<string, { ms: number; calls: number }>();
const analysis = openSqliteAnalysis(dataDir);
for (const [name, repo] of Object.entries(analysis.repos)) {
  if (typeof repo !== 'object' || repo === null) continue;
  const methods = repo as Record<string, unknown>;
  for (const [key, method] of Object.entries(methods)) {
    if (typeof method !== 'function') continue;
    methods[key] = (...args: unknown[]) => {
      const started = performance.now();
      const result = (method as (...a: unknown[]) => unknown)(...args);
      const entry = spent.get(`${name}.${key}`) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - started;
      entry.calls++;
      spent.set(`${name}.${key}`, entry);
      return result;
    };
  }
}
const pass = createAnalysisPass({ transactions: analysis.transactions, repos: analysis.repos, idleTimeoutMs: 30 * 60_000, log: () => {} });
const cpuBefore = process.cpuUsage();
const started = performance.now();
let analysed = 0;
for (let result = await pass.run(); result.batches > 0; result = await pass.run()) analysed += result.batches;
const cpu = process.cpuUsage(cpuBefore);
const perBatch = (micros: number) => `${(micros / analysed).toFixed(0)} µs`;
console.log(
  `analysed ${analysed} batches: CPU ${perBatch(cpu.user + cpu.system)} a batch (user ${perBatch(cpu.user)}, system ${perBatch(cpu.system)}), ` +
    `wall ${perBatch((performance.now() - started) * 1000)}`,
);
let repoMs = 0;
for (const [name, { ms, calls }] of [...spent].sort((a, b) => b[1].ms - a[1].ms)) {
  repoMs += ms;
  if ((ms * 1000) / analysed >= 1) console.log(`  ${perBatch(ms * 1000).padStart(7)}  ${name} (${calls} calls)`);
}
console.log(`  ${perBatch(repoMs * 1000).padStart(7)}  all repository calls (wall); the rest is decoding, consumers, detectors, BEGIN and COMMIT`);
await analysis.close();
db.close();
rmSync(dataDir, { recursive: true, force: true });
