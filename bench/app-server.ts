// Bench child: the real frictionlens app (createApp) on a temp DATA_DIR, with its analysis process, driven by bench/ingest.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import { startAnalysisProcess } from '../server/src/analysis/start-analysis-process';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { startWalCheckpointer } from '../server/src/ingest/wal-checkpointer';
import { createRepos } from '../server/src/repos/create-repos';
import { answerBench } from './child-control';

/** How often the analysis queue's depth is sampled while the bench runs. */
const DEPTH_SAMPLE_MS = 1000;
/** After the load, how long the queue may take to drain before the report gives up waiting. */
const DRAIN_LIMIT_MS = 300_000;

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-bench-'));
const db = openDatabase(dataDir);
const repos = createRepos(db);
const site = repos.sites.create({ name: 'bench', origins: ['self'] });
const app = createApp({ db, repos, adminToken: 'bench-admin-token-0123456789' });
// As in production (main.ts): the WAL is checkpointed by a worker thread, not in ingest's commits.
const checkpointer = startWalCheckpointer(db);
// As in production: the analysis pass runs beside ingest, in its own process at lower priority.
// BENCH_ANALYSIS=off measures ingest alone.
const analysis = process.env.BENCH_ANALYSIS === 'off' ? undefined : startAnalysisProcess({ env: { ...process.env, DATA_DIR: dataDir }, log: () => {} });
const started = Date.now();
const depths: Array<[seconds: number, depth: number]> = [];
const sampler = setInterval(() => depths.push([Math.round((Date.now() - started) / 1000), repos.analysisQueue.depth()]), DEPTH_SAMPLE_MS);

/** ms from a batch stored to its page's friction committed, for every analysed batch. */
function lags(): number[] {
  return db
    .prepare<[], number>('SELECT g.analyzed_at - c.received_at FROM page_signals g JOIN chunks c USING (session_id, seq) ORDER BY 1')
    .pluck()
    .all();
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null;

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: site.key }, async () => {
    server.close();
    const loadEnded = Date.now();
    let drainedMs: number | null = null;
    if (analysis) {
      while (repos.analysisQueue.depth() > 0 && Date.now() - loadEnded < DRAIN_LIMIT_MS) await sleep(200);
      if (repos.analysisQueue.depth() === 0) drainedMs = Date.now() - loadEnded;
      await analysis.stop();
    }
    clearInterval(sampler);
    await checkpointer.stop();
    const chunks = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    const sorted = analysis ? lags() : [];
    const report = {
      chunks,
      analysed: sorted.length,
      lagP50Ms: percentile(sorted, 0.5),
      lagP99Ms: percentile(sorted, 0.99),
      drainedAfterLoadMs: drainedMs,
      depths,
    };
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    return report;
  }, async () => {
    const from = Date.now();
    while (analysis && repos.analysisQueue.depth() > 0 && Date.now() - from < DRAIN_LIMIT_MS) await sleep(200);
  });
});
