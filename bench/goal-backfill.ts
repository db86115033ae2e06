// Goal recomputation bench: seeds the page signals (and the facts reports read) of 100,000 stored sessions through the repositories, times the job that computes a goal over them for each goal kind, then the impact and funnel reports over them.
// Run: npm run bench:goal-backfill [-- --sessions 100000 --requests 3 --worst-case] [-- --keep DIR]
// --keep DIR seeds into DIR and leaves it there; run again with the same DIR, only the reports are timed (seeding takes minutes).
import { sqliteTransactions } from '../server/src/analysis/analysis-transactions';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PageSignal } from '../server/src/analysis/page-signals';
import type { FrictionFlag, GoalInput } from '../server/src/api-types';
import { createApp } from '../server/src/app';
import { pageFacts } from '../server/src/conversions/page-facts';
import { createGoalJobRunner, GOAL_JOB_SLICE_SESSIONS } from '../server/src/conversions/goal-job-runner';
import { openDatabase } from '../server/src/db/open-database';
import { createRepos } from '../server/src/repos/create-repos';
import { median, positiveIntOption } from './bench-args';

const argv = process.argv.slice(2);
const SESSIONS = positiveIntOption(argv, '--sessions', 100_000);
/** Share of sessions that reach the thanks page (and track "purchase" and submit the checkout that went through). */
const CONVERTING = 0.3;
const REPORT_REQUESTS = positiveIntOption(argv, '--requests', 3);
const TOKEN = 'bench-admin-token-0123456789';
const SHOP = 'https://shop.example';
const START = Date.UTC(2026, 8, 1);

/** Deterministic (mulberry32), so every run seeds the same sessions. */
let seed = 7;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const int = (n: number) => Math.floor(random() * n);

/**
 * One page load's signals, about what the analysis pass keeps of a 20-40 s page view: a snapshot, the
 * page view, ~30 DOM mutations, a few clicks and scrolls; the checkout adds its fields and submit.
 * About 3 KB of JSON per load.
 */
function loadSignals(t: number, path: string, converts: boolean): PageSignal[] {
  const url = `${SHOP}${path}`;
  const signals: PageSignal[] = [{ k: 'snapshot', t, width: 1280, height: 800 }, { k: 'view', t: t + 2, url, title: path, trigger: 'load', referrer: '' }];
  let now = t + 100;
  for (let i = 0; i < 30; i++) {
    now += 200 + int(800);
    signals.push({ k: 'mutation', t: now, nodes: Array.from({ length: 1 + int(6) }, () => 10 + int(400)), structural: random() < 0.5, size: 1 + int(20) });
    if (i % 6 === 0) signals.push({ k: 'click', t: now - 50, x: int(1280), y: int(2000), sel: `#main>div:nth-of-type(${1 + int(9)})>button`, count: 1, modifier: false, target: { kind: 'button', text: 'Add to cart' } });
    if (i % 5 === 0) signals.push({ k: 'scroll', t: now - 20, id: 1 });
  }
  if (path === '/checkout.html') {
    for (const selector of ['#email', '#full-name', '#postcode']) {
      const field = { selector, kind: 'input:text', form: '#checkout-form', label: selector.slice(1) };
      signals.push({ k: 'field', t: (now += 300), action: 'focus', field, empty: true, valid: true, validity: [], message: '' });
      signals.push({ k: 'input', t: (now += 800), id: 100 + int(50) });
      signals.push({ k: 'field', t: (now += 200), action: 'change', field, empty: false, valid: true, validity: [], message: '' });
    }
    if (converts) signals.push({ k: 'form', t: (now += 500), action: 'submit', form: '#checkout-form', fieldCount: 8, invalidFields: [] });
  }
  if (path.startsWith('/thanks')) signals.push({ k: 'track', t: now + 10, name: 'purchase' });
  signals.push({ k: 'end', t: now + 300 });
  return signals;
}

/** Friction as the detectors would raise it: a postcode abandonment on 60% of checkouts that do not convert (10% of those that do), dead clicks on a product photo on 15% of product pages. */
function benchFlags(path: string, pageId: string, t: number, converts: boolean): FrictionFlag[] {
  const url = `${SHOP}${path}`;
  if (path === '/checkout.html' && random() < (converts ? 0.1 : 0.6)) {
    const details = { form: '#checkout-form', fieldsTouched: ['#email', '#full-name', '#postcode'], dropOffField: '#postcode', timeSpentMs: 9000, validationErrors: [], clearedFields: [], blockedSubmits: 1, ending: 'left-page' as const };
    return [{ type: 'form_abandonment', ts: t + 9000, pageId, url, selector: '#checkout-form', reason: 'bench', details }];
  }
  if (path.startsWith('/product/') && random() < 0.15) return [{ type: 'dead_click', ts: t + 3000, pageId, url, selector: '#product-image', reason: 'bench', details: { windowMs: 2000, lookedFor: [] } }];
  return [];
}

const keepIndex = argv.indexOf('--keep');
const keepDir = keepIndex >= 0 ? argv[keepIndex + 1] : undefined;
if (keepIndex >= 0 && !keepDir) throw new Error('--keep takes a directory');
const reportsOnly = keepDir !== undefined && existsSync(join(keepDir, 'frictionlens.db'));
if (keepDir) mkdirSync(keepDir, { recursive: true, mode: 0o700 });
const dataDir = keepDir ?? mkdtempSync(join(tmpdir(), 'frictionlens-goal-bench-'));
const db = openDatabase(dataDir);
const repos = createRepos(db);
const site = reportsOnly ? repos.sites.list()[0]! : repos.sites.create({ name: 'Bench', origins: [SHOP] });
const body = Buffer.from([0x1f, 0x8b]);
let converters = 0;

const seedSlice = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const id = `bench-session-${String(i).padStart(7, '0')}`;
    const converts = random() < CONVERTING;
    if (converts) converters++;
    const paths = [`/product/${int(40)}.html`, '/cart.html', '/checkout.html', ...(converts ? ['/thanks.html'] : [])];
    const startedAt = START + i * 20_000;
    repos.sessions.insert({ id, siteId: site.id, startedAt, endedAt: startedAt + paths.length * 40_000, eventCount: 100, entryUrl: `${SHOP}${paths[0]}`, userAgent: null, browser: 'Chrome', browserVersion: '131', os: 'Windows', device: 'desktop', receivedAt: startedAt });
    paths.forEach((path, seq) => {
      const t = startedAt + seq * 40_000;
      const pageId = `${id}-p${seq}`;
      repos.pages.insert({ sessionId: id, pageId, url: `${SHOP}${path}`, startedAt: t });
      repos.chunks.insert({ sessionId: id, seq, pageId, firstTs: t, lastTs: t + 39_000, eventCount: 100, body, receivedAt: t });
      const signals = loadSignals(t, path, converts);
      repos.pageSignals.put({ sessionId: id, seq, pageId, signals, analyzedAt: t });
      // What the analysis pass's page hook and detectors keep, so the reports have rows to read.
      repos.conversions.facts.replaceForPage(id, pageId, pageFacts(signals, `${SHOP}${path}`));
      repos.friction.replaceForPage(site.id, id, pageId, benchFlags(path, pageId, t, converts));
    });
  }
});

function seedAll(): void {
  console.log(`Seeding ${SESSIONS.toLocaleString('en')} sessions' page signals through the repositories…`);
  const started = performance.now();
  for (let from = 0; from < SESSIONS; from += 1000) seedSlice(from, Math.min(SESSIONS, from + 1000));
  const signalBytes = db.prepare('SELECT sum(length(signals)) FROM page_signals').pluck().get() as number;
  console.log(
    `Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${SESSIONS.toLocaleString('en')} sessions, ` +
      `${(db.prepare('SELECT count(*) FROM page_signals').pluck().get() as number).toLocaleString('en')} page loads, ` +
      `${(signalBytes / 1e6).toFixed(0)} MB of signal JSON; database ${(statSync(join(dataDir, 'frictionlens.db')).size / 1e6).toFixed(0)} MB. ${converters.toLocaleString('en')} sessions convert.`,
  );
}

const GOALS: Array<GoalInput & { expect: () => number }> = [
  { name: 'Thanks page', kind: 'page', pattern: '/thanks*', expect: () => converters },
  { name: 'Purchase event', kind: 'event', event: 'purchase', expect: () => converters },
  { name: 'Checkout sent', kind: 'form', pattern: '/checkout*', selector: '#checkout-form', expect: () => converters },
  // The worst case (with --worst-case): a pattern whose literal part is in every page, so every page load is parsed.
  ...(argv.includes('--worst-case') ? [{ name: 'Any page, every page parsed', kind: 'page' as const, pattern: '/**', expect: () => SESSIONS }] : []),
];
const { goals, goalJobs, completions } = repos.conversions;

async function timeGoalJobs(): Promise<void> {
  const runner = createGoalJobRunner(sqliteTransactions(db), repos.conversions);
  console.log(`\nGoal recomputed over ${SESSIONS.toLocaleString('en')} stored sessions (${converters.toLocaleString('en')} of them convert):`);
  console.log('| goal | total (this process\'s CPU) | rate | slices (each one transaction) |\n| --- | --- | --- | --- |');
  for (const input of GOALS) {
    const goal = goals.create(site.id, input, Date.now());
    goalJobs.start(goal.id, goal.version, completions.sessionCount(site.id), Date.now());
    const sliceMs: number[] = [];
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (;;) {
      const sliceStart = performance.now();
      if (!(await runner.runSlice())) break;
      sliceMs.push(performance.now() - sliceStart);
    }
    const totalS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const status = goalJobs.status(goal.id)!;
    const found = completions.countForGoal(goal.id);
    if (status.state !== 'done' || found !== input.expect()) throw new Error(`${input.name}: job ${status.state}, ${found} converting sessions instead of ${input.expect()}`);
    console.log(
      `| ${input.kind} (${input.name}) | ${totalS.toFixed(1)} s (CPU ${cpuS.toFixed(1)} s) | ${Math.round(SESSIONS / totalS).toLocaleString('en')} sessions/s | ` +
        `${sliceMs.length} slices of ${GOAL_JOB_SLICE_SESSIONS}: median ${median(sliceMs).toFixed(0)} ms, max ${Math.max(...sliceMs).toFixed(0)} ms |`,
    );
  }
}

if (reportsOnly) console.log(`Reusing the sessions seeded in ${dataDir}: only the reports are timed.`);
else {
  seedAll();
  await timeGoalJobs();
}

// The reports read every session of the range: time them through the app over all 100,000.
const app = createApp({ db, repos, adminToken: TOKEN });
const thanks = goals.listBySite(site.id)[0]!;
const funnel =
  repos.conversions.funnels.listBySite(site.id)[0] ??
  repos.conversions.funnels.create(site.id, { name: 'Checkout', steps: [{ kind: 'page', pattern: '/cart*' }, { kind: 'page', pattern: '/checkout*' }, { kind: 'page', pattern: '/thanks*' }] }, Date.now());
const sessionCount = completions.sessionCount(site.id);
const range = `from=${START}&to=${START + sessionCount * 20_000 + 1}`;
for (const [name, path] of [
  ['GET /api/impact', `/api/impact?site=${site.id}&goal=${thanks.id}&${range}`],
  ['GET /api/funnels/:id/report', `/api/funnels/${funnel.id}/report?${range}`],
] as const) {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < REPORT_REQUESTS; i++) {
    const requestStart = performance.now();
    const cpuStart = process.cpuUsage();
    const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    times.push(performance.now() - requestStart);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  // The CPU time is the steadier figure on a machine other work loads.
  console.log(`${name} over ${sessionCount.toLocaleString('en')} sessions: median ${median(times).toFixed(0)} ms (CPU ${median(cpuTimes).toFixed(0)} ms) of ${REPORT_REQUESTS}`);
}
db.close();
if (!keepDir) rmSync(dataDir, { recursive: true, force: true });
