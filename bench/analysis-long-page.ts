// The analysis pass on one long page load, its batches arriving one at a time as a recorder sends them: CPU a batch as the page grows.
// Run: npm run bench:analysis-long-page [-- --minutes 60] [--click-every-s 30]
// A live page (a list whose rows change every 35 ms, a full snapshot every 5 minutes, nobody
// clicking: test/support/synthetic-session.ts) is stored through the real ingest route a batch at
// a time, and after each batch the pass the analysis process runs analyses it, on its own
// connection. The pass's CPU for each batch, and its time inside write transactions (what ingest
// waits for while it holds SQLite's write lock), are reported for the page's first, middle and
// last 50 batches. --click-every-s N: the visitor also clicks a row every N seconds, so every
// batch holding a click is judged against the page's whole history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalysisPass } from '../server/src/analysis/analysis-pass';
import { openSqliteAnalysis } from '../server/src/analysis/open-analysis-backend';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { createRepos } from '../server/src/repos/create-repos';
import { gzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS, WIRE_FORMAT_VERSION, type IngestBatch } from '../recorder/src/wire/format';
import { pageEvents, sliceLikeRecorder, type SyntheticPage } from '../test/support/synthetic-session';
import { positiveIntOption } from './bench-args';

const MINUTES = positiveIntOption(process.argv.slice(2), '--minutes', 60);
const CLICK_EVERY_S = process.argv.includes('--click-every-s') ? positiveIntOption(process.argv.slice(2), '--click-every-s', 30) : undefined;
const SPAN = 50;

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-long-page-'));
const db = openDatabase(dataDir);
const repos = createRepos(db);
const site = repos.sites.create({ name: 'bench', origins: ['self'] });
const app = createApp({ db, repos, adminToken: 'bench-admin-token-0123456789' });
const startTs = Date.now() - (MINUTES + 1) * 60_000;
const livePage: SyntheticPage = { pageId: 'long-page-1', url: 'https://shop.example/live', title: 'Live', startTs, durationMs: MINUTES * 60_000, checkoutEveryMs: 300_000 };

/** A click on a row, as the recorder reports it. */
const click = (timestamp: number): eventWithTime =>
  ({ type: 5, timestamp, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 200, y: 300, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2000, selector: '#row-3', offsetX: 4, offsetY: 4, fixed: false } } }) as eventWithTime;

function pageBodies(): Buffer[] {
  const events = pageEvents(livePage);
  if (CLICK_EVERY_S) {
    for (let t = startTs + CLICK_EVERY_S * 1000; t < startTs + livePage.durationMs; t += CLICK_EVERY_S * 1000) events.push(click(t));
    events.sort((a, b) => a.timestamp - b.timestamp);
  }
  return sliceLikeRecorder(events).map((batchEvents, seq) => {
    const batch: IngestBatch = { v: WIRE_FORMAT_VERSION, sessionId: 'long-page-session-1', seq, pageId: livePage.pageId, url: livePage.url, sentAt: batchEvents.at(-1)!.timestamp, events: batchEvents };
    return gzipSync(JSON.stringify(batch));
  });
}
const bodies = pageBodies();

const analysis = openSqliteAnalysis(dataDir);
/** Wall time inside the pass's write transactions: SQLite's write lock is held for all of it. */
let lockedMs = 0;
const transactions = {
  ...analysis.transactions,
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await analysis.transactions.transaction(work);
    } finally {
      lockedMs += performance.now() - started;
    }
  },
};
const pass = createAnalysisPass({ transactions, repos: analysis.repos, idleTimeoutMs: 30 * 60_000, log: () => {} });
const cpuMs: number[] = [];
const heldMs: number[] = [];
for (const body of bodies) {
  const response = await app.request(`/api/ingest?key=${site.key}&enc=gzip`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
  const cpu = process.cpuUsage();
  const held = lockedMs;
  if ((await pass.run()).batches !== 1) throw new Error('the pass did not analyse the batch just stored');
  const used = process.cpuUsage(cpu);
  cpuMs.push((used.user + used.system) / 1000);
  heldMs.push(lockedMs - held);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const n = cpuMs.length;
const spans: Array<[string, number]> = [['first', 0], ['middle', Math.floor(n / 2 - SPAN / 2)], ['last', n - SPAN]];
const signalBytes = db.prepare('SELECT sum(length(signals)) FROM page_signals').pluck().get() as number;
console.log(`${MINUTES}-minute page load${CLICK_EVERY_S ? `, a click every ${CLICK_EVERY_S} s` : ''}, ${n} batches, ${(signalBytes / 1e6).toFixed(1)} MB of stored page signals`);
for (const [name, from] of spans) {
  console.log(`  ${name.padEnd(6)} ${SPAN} batches: pass CPU ${mean(cpuMs.slice(from, from + SPAN)).toFixed(2)} ms a batch, write lock held ${mean(heldMs.slice(from, from + SPAN)).toFixed(2)} ms`);
}
console.log(`  whole page: pass CPU ${(mean(cpuMs) * n / 1000).toFixed(1)} s, write lock held ${(mean(heldMs) * n / 1000).toFixed(1)} s`);
await analysis.close();
db.close();
rmSync(dataDir, { recursive: true, force: true });
