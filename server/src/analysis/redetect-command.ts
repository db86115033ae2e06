// `npm run redetect [-- --site ID]`: analyses every stored batch again and rebuilds friction, with progress; safe beside a running server.
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { createRepos } from '../repos/create-repos';
import { createAnalysisPass } from './analysis-pass';

const { values } = parseArgs({ options: { site: { type: 'string' } } });
const config = loadConfig();
const db = openDatabase(config.dataDir);
const repos = createRepos(db);
const siteId = values.site;
if (siteId !== undefined && !repos.sites.findById(siteId)) {
  console.error(`redetect: no site ${siteId} in ${config.dataDir}`);
  process.exit(1);
}

// Queued again in one statement; a running server's analysis process shares the work through the
// same queue (claims with a lease), so progress is read from what is left, not from what we did.
repos.analysisQueue.enqueueStored(siteId, Date.now());
const remaining = () => (siteId === undefined ? repos.analysisQueue.depth() : repos.analysisQueue.depthForSite(siteId));
const total = remaining();
const pass = createAnalysisPass({ db, repos, idleTimeoutMs: config.sessionIdleTimeoutMs });
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
  const result = pass.run();
  skipped += result.skipped;
  const left = remaining();
  bar.update(total - left);
  if (left === 0) break;
  // Rows left but none claimable: another process holds them; wait for it rather than spin.
  if (result.batches === 0) await new Promise((resolve) => setTimeout(resolve, 200));
}
bar.stop();
db.close();
console.log(`redetect: ${total} batches analysed${skipped ? `, ${skipped} unreadable and skipped` : ''}${siteId ? ` for site ${siteId}` : ''}`);
