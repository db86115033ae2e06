// `npm run redetect [-- --site ID]`: analyses every stored batch again and rebuilds friction, with progress; safe beside a running server.
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { createAnalysisPass } from './analysis-pass';
import { openAnalysisBackend } from './open-analysis-backend';

const { values } = parseArgs({ options: { site: { type: 'string' } } });
const config = loadConfig();
const backend = await openAnalysisBackend(config);
const { repos, transactions } = backend;
const siteId = values.site;
if (siteId !== undefined && !(await repos.sites.findById(siteId))) {
  console.error(`redetect: no site ${siteId} in ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir}`);
  process.exit(1);
}

// Queued again in one statement; a running server's analysis process shares the work through the
// same queue (claims with a lease), so progress is read from what is left, not from what we did.
await repos.analysisQueue.enqueueStored(siteId, Date.now());
const remaining = async () => (siteId === undefined ? repos.analysisQueue.depth() : repos.analysisQueue.depthForSite(siteId));
const total = await remaining();
const pass = createAnalysisPass({ transactions, repos, idleTimeoutMs: config.sessionIdleTimeoutMs });
const bar = new SingleBar({
    format: 'redetect [{bar}] {percentage}% | {value}/{total} batches | ETA {eta_formatted}',
    hideCursor: true,
    // Logs and CI have no terminal: a line every few seconds there instead of a redrawn bar.
    noTTYOutput: true,
    notTTYSchedule: 5000,
  }, Presets.shades_classic);
bar.start(total, 0);
let skipped = 0;
for (;;) {
  const result = await pass.run();
  skipped += result.skipped;
  const left = await remaining();
  bar.update(total - left);
  if (left === 0) break;
  // Rows left but none claimable: another process holds them; wait for it rather than spin.
  if (result.batches === 0) await new Promise((resolve) => setTimeout(resolve, 200));
}
bar.stop();
await backend.close();
console.log(`redetect: ${total} batches analysed${skipped ? `, ${skipped} unreadable and skipped` : ''}${siteId ? ` for site ${siteId}` : ''}`);
