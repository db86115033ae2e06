// Heatmap extraction cost: the analysis pass on SQLite over the same stored sessions, with and without the heatmap consumers and page hook.
// Run: npm run bench:heatmap-extraction [-- --sessions 100 --rounds 4] [path/to/recording.json]
import { sqliteTransactions } from '../server/src/analysis/analysis-transactions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventType, IncrementalSource, MouseInteractions, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../recorder/src/wire/format';
import { createAnalysisPass } from '../server/src/analysis/analysis-pass';
import { createBatchConsumers, createPageHooks } from '../server/src/analysis/batch-consumers';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { createRepos } from '../server/src/repos/create-repos';
import { median, positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';

const argv = process.argv.slice(2);
const recording = argv.find((arg) => arg.endsWith('.json')) ?? fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url));
const SESSIONS = positiveIntOption(argv, '--sessions', 100);
const ROUNDS = positiveIntOption(argv, '--rounds', 4);

/**
 * The fixture was recorded with bare rrweb, so it has no frictionlens.click events. Our recorder
 * sends one beside each of rrweb's click records: one is added for each, with the payload's
 * fields, so the heatmap consumers do the work they do on real recordings; and a scroll depth
 * ends each page load.
 */
function withOurEvents(events: eventWithTime[]): eventWithTime[] {
  const out: eventWithTime[] = [];
  let index = 0;
  for (const event of events) {
    if (event.type === EventType.Meta && out.length > 0) out.push(scrollDepth(out[out.length - 1]!.timestamp));
    out.push(event);
    const data = event.data as { source?: number; type?: number; x?: number; y?: number };
    if (event.type === EventType.IncrementalSnapshot && data.source === IncrementalSource.MouseInteraction && data.type === MouseInteractions.Click) {
      const selector = `#main>form>div:nth-of-type(${(index++ % 6) + 1})>input`;
      const payload = { x: data.x ?? 0, y: (data.y ?? 0) + 300, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2400, selector, offsetX: 0.42, offsetY: 0.57, fixed: false, clickCount: 1, target: { kind: 'input:text' } };
      out.push({ type: EventType.Custom, timestamp: event.timestamp + 1, data: { tag: CUSTOM_EVENT_TAGS.click, payload } } as eventWithTime);
    }
  }
  out.push(scrollDepth(out[out.length - 1]!.timestamp));
  return out;
}
const scrollDepth = (timestamp: number) =>
  ({ type: EventType.Custom, timestamp, data: { tag: CUSTOM_EVENT_TAGS.scrollDepth, payload: { maxY: 1800, documentHeight: 2400, viewportHeight: 800, fraction: 0.75 } } }) as eventWithTime;

const templates = sliceRecording(withOurEvents(loadRecording(recording)));
const bodies = buildBodies(templates, SESSIONS * templates.length, 'extraction');
const clicksPerSession = templates.reduce((sum, t) => sum + t.events.filter((e) => e.type === EventType.Custom && (e.data as { tag: string }).tag === CUSTOM_EVENT_TAGS.click).length, 0);
const events = SESSIONS * templates.reduce((sum, t) => sum + t.events.length, 0);

interface Rates {
  /** Each batch analysed once, as it arrives. */
  fresh: number;
  /** Every batch analysed again, as `npm run redetect` does. */
  again: number;
}

/** A new database with the sessions stored through the app, then the pass timed over them: events per second. */
async function run(heatmaps: boolean): Promise<Rates> {
  const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-bench-extraction-'));
  const db = openDatabase(dataDir);
  try {
    const repos = createRepos(db);
    const site = repos.sites.create({ name: 'bench', origins: ['self'] });
    const app = createApp({ db, repos, adminToken: 'bench-admin-token-0123456789' });
    for (const body of bodies) {
      const res = await app.request(`/api/ingest?key=${site.key}&enc=gzip`, { method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': 'bench' }, body: new Uint8Array(body) });
      if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
    }
    const consumers = createBatchConsumers(repos, Date.now).filter((consumer) => heatmaps || !consumer.name.startsWith('heatmap'));
    const pageHooks = createPageHooks(repos).filter((hook) => heatmaps || hook.name !== 'heatmaps');
    const pass = createAnalysisPass({ transactions: sqliteTransactions(db), repos, idleTimeoutMs: 60_000, log: () => {}, consumers, pageHooks });
    const drain = async () => {
      const started = process.hrtime.bigint();
      while ((await pass.run()).batches > 0);
      return events / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const fresh = await drain();
    if (heatmaps) placed = db.prepare('SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL').pluck().get() as number;
    repos.analysisQueue.enqueueStored(site.id, Date.now());
    return { fresh, again: await drain() };
  } finally {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let placed = 0;
console.log(`${recording}: ${bodies.length} stored batches (${SESSIONS} sessions), ${events} events, ${SESSIONS * clicksPerSession} clicks; ${ROUNDS} alternating rounds\n`);
await run(true); // warm-up
const rates = { without: [] as Rates[], with: [] as Rates[] };
for (let round = 0; round < ROUNDS; round++) {
  for (const heatmaps of round % 2 ? [true, false] : [false, true]) rates[heatmaps ? 'with' : 'without'].push(await run(heatmaps));
  const [a, b] = [rates.without.at(-1)!, rates.with.at(-1)!];
  console.log(`round ${round + 1}  first pass: without heatmaps ${a.fresh.toFixed(0).padStart(7)} events/s, with ${b.fresh.toFixed(0).padStart(7)}   again: without ${a.again.toFixed(0).padStart(7)}, with ${b.again.toFixed(0).padStart(7)}`);
}
for (const key of ['fresh', 'again'] as const) {
  const without = median(rates.without.map((r) => r[key]));
  const withHeatmaps = median(rates.with.map((r) => r[key]));
  const label = key === 'fresh' ? 'Batches analysed as they arrive' : 'Every batch analysed again (redetect)';
  console.log(`\n${label}: the pass (decode, signals, detectors, friction, goals) ${without.toFixed(0)} events/s; with click and scroll extraction and placement ${withHeatmaps.toFixed(0)} events/s`);
  console.log(`  heatmap extraction adds ${((without / withHeatmaps - 1) * 100).toFixed(1)}% to the pass's time (${placed} clicks placed)`);
}
