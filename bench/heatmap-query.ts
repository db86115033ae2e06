// Heatmap query bench: seeds one page with 1,000,000 clicks through the heatmap repositories, then times GET /api/heatmap through the Hono app, and the 30-day cells query before and after the week tier.
// Run: npm run bench:heatmap [-- --clicks 1000000 --requests 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { clickRow, type ClickRow } from '../server/src/heatmaps/click-row';
import { DAY_MS } from '../server/src/heatmaps/heatmap-constants';
import { createRepos } from '../server/src/repos/create-repos';
import { weekSpan } from '../server/src/repos/heatmap-queries-repo';
import { median, positiveIntOption } from './bench-args';

const argv = process.argv.slice(2);
const CLICKS = positiveIntOption(argv, '--clicks', 1_000_000);
const REQUESTS = positiveIntOption(argv, '--requests', 50);
const CLICKS_PER_BATCH = 50;
const BATCHES_PER_SESSION = 4;
const DAYS = 60;
const SELECTORS = 40;
/** The requirement: the heatmap of a page with 1M clicks answers in at most this, median. */
const TARGET_MEDIAN_MS = 50;
const PAGE = 'https://shop.example/checkout';
const TOKEN = 'bench-admin-token-0123456789';

/** Deterministic, so every run seeds the same clicks. */
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
/** Zipf-like popularity: a few elements take most clicks, as on real pages. */
const weights = Array.from({ length: SELECTORS }, (_, i) => 1 / (i + 1));
const totalWeight = weights.reduce((a, b) => a + b, 0);
function pickSelector(): number {
  let r = random() * totalWeight;
  for (let i = 0; i < SELECTORS; i++) if ((r -= weights[i]!) <= 0) return i;
  return SELECTORS - 1;
}
const WIDTHS = [1280, 1366, 1440, 1536, 1920, 390, 414, 820];
const START = Date.UTC(2026, 8, 1);

function makeClick(ts: number): ClickRow {
  const selector = pickSelector();
  const width = WIDTHS[Math.floor(random() * WIDTHS.length)]!;
  const unit = (value: number) => Math.min(1, Math.max(0, value));
  return clickRow({
    ts,
    viewportWidth: width,
    selector: `#main>form>div:nth-of-type(${selector + 1})>button`,
    offsetX: unit(0.5 + gaussian() * 0.18),
    offsetY: unit(0.5 + gaussian() * 0.18),
    x: Math.round(random() * width),
    y: Math.round(200 + selector * 60 + gaussian() * 10),
    screenY: null,
    documentWidth: width,
    documentHeight: 3000,
    fixed: false,
    label: `button "Action ${selector}"`,
    pageUrl: PAGE,
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-bench-heatmap-'));
try {
  const db = openDatabase(dataDir);
  const repos = createRepos(db);
  const site = repos.sites.create({ name: 'bench', origins: ['self'] });
  const { clicks, keys } = repos.heatmaps;
  const pageRef = keys.pageRef(site.id, PAGE);
  const body = gzipSync('{"events":[]}');

  // As the analysis pass stores them: the batch's clicks unplaced (click consumer), then each placed (page hook).
  const seedSession = db.transaction((session: number) => {
    const sessionId = `bench-session-${session}`;
    const pageId = `bench-page-${session}`;
    const start = START + Math.floor((session * CLICKS_PER_BATCH * BATCHES_PER_SESSION * DAYS * DAY_MS) / CLICKS);
    repos.sessions.insert({ id: sessionId, siteId: site.id, startedAt: start, endedAt: start, eventCount: 1, entryUrl: PAGE, userAgent: null, browser: null, browserVersion: null, os: null, device: 'desktop', receivedAt: start });
    repos.pages.insert({ sessionId, pageId, url: PAGE, startedAt: start });
    for (let seq = 0; seq < BATCHES_PER_SESSION; seq++) {
      repos.chunks.insert({ sessionId, seq, pageId, firstTs: start, lastTs: start, eventCount: 1, body, receivedAt: start });
      const rows = Array.from({ length: CLICKS_PER_BATCH }, (_, i) => makeClick(start + seq * 60_000 + i * 1000));
      clicks.replaceBatch({ siteId: site.id, sessionId, seq, pageId }, rows);
    }
    for (const click of clicks.listByPage(sessionId, pageId)) {
      const r = random();
      clicks.place(site.id, click.id, { pageRef, rage: r < 0.03, dead: r >= 0.03 && r < 0.05, error: r >= 0.05 && r < 0.06 });
    }
  });

  const sessions = Math.ceil(CLICKS / (CLICKS_PER_BATCH * BATCHES_PER_SESSION));
  const seedStarted = performance.now();
  for (let session = 0; session < sessions; session++) {
    seedSession(session);
    if (session % 500 === 499) process.stdout.write(`\rseeded ${((session + 1) * CLICKS_PER_BATCH * BATCHES_PER_SESSION).toLocaleString('en')} clicks`);
  }
  const seeded = db.prepare('SELECT count(*) FROM heatmap_clicks WHERE page_ref = ?').pluck().get(pageRef) as number;
  const cells = db.prepare('SELECT count(*) FROM heatmap_cells WHERE page_ref = ?').pluck().get(pageRef) as number;
  const dayCells = db.prepare('SELECT count(*) FROM heatmap_cell_days WHERE page_ref = ?').pluck().get(pageRef) as number;
  console.log(`\nseeded ${seeded.toLocaleString('en')} clicks on one page in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s through the repositories: ${cells} cells over all time, ${dayCells} cell-days over ${DAYS} days`);
  db.pragma('optimize');

  const app = createApp({ db, repos, adminToken: TOKEN });
  const headers = { authorization: `Bearer ${TOKEN}` };
  async function time(label: string, params: Record<string, string>, path = ''): Promise<number> {
    const url = `/api/heatmap${path}?${new URLSearchParams({ site: site.id, url: PAGE, ...params })}`;
    let bytes = 0;
    let summary = '';
    for (let i = 0; i < 5; i++) await (await app.request(url, { headers })).arrayBuffer(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const res = await app.request(url, { headers });
      const text = await res.text();
      times.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text}`);
      bytes = text.length;
      const json = JSON.parse(text) as { total?: number; cells?: unknown[] };
      summary = json.cells ? `${json.total} clicks in ${json.cells.length} cells` : '';
    }
    const result = median(times);
    console.log(`${label.padEnd(44)} median ${result.toFixed(1).padStart(6)} ms over ${REQUESTS} requests  (${(bytes / 1024).toFixed(0)} KB JSON${summary ? `, ${summary}` : ''})`);
    return result;
  }

  /**
   * The 30-day cells query before migration 010 (every per-day row of the range) against what the
   * repository composes now (whole weeks plus the edge days), alternated in this process so load
   * on the machine weighs on both alike; each checked to give the same rows.
   */
  async function compareRangeQueries(): Promise<void> {
    const days = { from: Math.floor((START + 30 * DAY_MS) / DAY_MS), to: Math.floor((START + 60 * DAY_MS - 1) / DAY_MS) };
    const dayRows = db.prepare(
      `SELECT s.selector, c.bin_x AS binX, c.bin_y AS binY, sum(c.clicks) AS clicks, sum(c.rage) AS rage, sum(c.dead) AS dead,
         sum(c.error) AS error, sum(c.fixed) AS fixed, sum(c.sum_x) AS sumX, sum(c.sum_y) AS sumY
       FROM heatmap_cell_days c JOIN heatmap_selectors s ON s.id = c.selector_id
       WHERE c.page_ref IN (SELECT value FROM json_each(?)) AND c.device = ? AND c.day BETWEEN ? AND ?
       GROUP BY c.selector_id, c.bin_x, c.bin_y`,
    );
    const before = () => dayRows.all(JSON.stringify([pageRef]), 'desktop', days.from, days.to);
    const after = () => repos.heatmaps.queries.cells(site.id, [pageRef], 'desktop', days);
    if (JSON.stringify(before()) !== JSON.stringify(after())) throw new Error('the week and day composition differs from the per-day sum');
    const span = weekSpan(days);
    const times = { before: [] as number[], after: [] as number[], beforeCpu: [] as number[], afterCpu: [] as number[] };
    for (let i = 0; i < REQUESTS; i++) {
      for (const [name, run] of i % 2 ? ([['after', after], ['before', before]] as const) : ([['before', before], ['after', after]] as const)) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        run();
        times[name].push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        times[`${name}Cpu`].push((used.user + used.system) / 1000);
      }
    }
    console.log(
      `cells query, days ${days.from}-${days.to} (30 days), alternated ${REQUESTS} times:\n` +
        `  per-day rows only (before)                 median ${median(times.before).toFixed(1).padStart(6)} ms (CPU ${median(times.beforeCpu).toFixed(1)} ms)\n` +
        `  weeks ${span.firstWeek}-${span.lastWeek} + ${span.headTo - span.from + 1 + span.to - span.tailFrom + 1} edge days (after)      median ${median(times.after).toFixed(1).padStart(6)} ms (CPU ${median(times.afterCpu).toFixed(1)} ms)`,
    );
  }

  const headline = await time('GET /api/heatmap desktop, all time', { device: 'desktop' });
  await time('GET /api/heatmap desktop, last 30 days', { device: 'desktop', from: String(START + 30 * DAY_MS), to: String(START + 60 * DAY_MS) });
  await compareRangeQueries();
  await time('GET /api/heatmap desktop, kind=rage', { device: 'desktop', kind: 'rage' });
  await time('GET /api/heatmap mobile, all time', { device: 'mobile' });
  await time('GET /api/heatmap/elements desktop', { device: 'desktop' }, '/elements');
  await time('GET /api/heatmap/pages', {}, '/pages');
  console.log(`\nHeatmap of a page with ${seeded.toLocaleString('en')} clicks: median ${headline.toFixed(1)} ms (target ${TARGET_MEDIAN_MS} ms): ${headline <= TARGET_MEDIAN_MS ? 'meets' : 'MISSES'} it`);
  db.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
