// Main-thread cost bench: DOM mutation workloads in Chromium with no recorder, bare rrweb record(), and our recorder.js.
// Run: npm run bench:recorder-overhead [-- --reps 4]   (builds recorder.js first)
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { CUSTOM_EVENT_TAGS } from '../recorder/src/wire/format';
import { launchChromium } from '../test/support/launch-chromium';
import { startFrictionlens } from '../test/support/start-frictionlens';
import type { StaticServer } from '../test/support/static-server';
import { median, positiveIntOption } from './bench-args';
import { BENCH_PAGE as PAGE, CONDITIONS, flushByHiding, startConditionServers, type Condition } from './condition-pages';

/** Medians over this many runs per workload and condition; rounds interleave the conditions. */
const DEFAULT_REPS = 4;
/** Quiet means no ingest request started or ended for this long... */
const QUIET_MS = 200;
/** ...and the main thread busy for under 5% of a probe this long. */
const IDLE_PROBE_MS = 100;
const IDLE_BUSY_SHARE = 0.05;
/** After a storm pause, the recorder resumes with a full snapshot once the page has been calm 2 s (storm-detector.ts). */
const STORM_RESUME_TIMEOUT_MS = 8000;
const STORM_POLL_MS = 500;
/** Our recorder may cost at most this multiple of bare rrweb. */
const TARGET_RATIO = 1.1;

interface Sample {
  /** CDP ThreadTime: the renderer main thread's CPU time from the workload's start until all is sent and idle. */
  cpuMs: number;
  /** CDP TaskDuration: wall time of main-thread tasks over the same span; inflated when other processes compete. */
  taskMs: number;
  /** performance.now() from the workload's start to the first task after its MutationObserver callbacks. */
  blockingMs: number;
  /** Our recorder paused for a mutation storm, and the span ran on to its resume snapshot. */
  storm: boolean;
}

/** Follows the page's ingest requests: how many are in flight, when one last started or ended, and what they said. */
class IngestTracker {
  pending = 0;
  lastChange = 0;
  bodies: string[] = [];
  failures: string[] = [];

  constructor(page: Page) {
    const isIngest = (url: string) => url.includes('/api/ingest');
    page.on('request', (request) => {
      if (!isIngest(request.url())) return;
      this.pending++;
      this.lastChange = Date.now();
      const body = request.postDataBuffer();
      if (body) this.bodies.push((request.url().includes('enc=gzip') ? gunzipSync(body) : body).toString('utf8'));
    });
    const settle = (url: string, failure?: string) => {
      if (!isIngest(url)) return;
      this.pending--;
      this.lastChange = Date.now();
      if (failure) this.failures.push(failure);
    };
    page.on('requestfinished', async (request) => {
      const status = (await request.response())?.status();
      settle(request.url(), status === 200 ? undefined : `ingest answered ${status}`);
    });
    page.on('requestfailed', (request) => settle(request.url(), request.failure()?.errorText ?? 'failed'));
  }

  sent(text: string): boolean {
    return this.bodies.some((body) => body.includes(text));
  }

  /** Nothing in flight or just finished, and `cpuMs` shows an idle main thread. */
  async quiet(cpuMs: () => Promise<number>): Promise<void> {
    this.lastChange = Math.max(this.lastChange, Date.now());
    for (;;) {
      const before = await cpuMs();
      await sleep(IDLE_PROBE_MS);
      const busy = (await cpuMs()) - before;
      if (this.pending === 0 && Date.now() - this.lastChange >= QUIET_MS && busy < IDLE_PROBE_MS * IDLE_BUSY_SHARE) return;
    }
  }
}

async function mainThreadMetrics(cdp: CDPSession): Promise<{ cpu: number; task: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { cpu: ms('ThreadTime'), task: ms('TaskDuration') };
}

async function measure(page: Page, tracker: IngestTracker, origin: string, condition: Condition, workload: string): Promise<Sample> {
  const firstIngest = condition === 'ours' ? page.waitForResponse((r) => r.url().includes('/api/ingest'), { timeout: 15_000 }) : null;
  await page.goto(`${origin}/${PAGE}?workload=${workload}`);
  if (condition === 'ours') {
    await page.waitForFunction(() => 'frictionlens' in window);
    await firstIngest; // the page view's snapshot, sent at once
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const cpuMs = async () => (await mainThreadMetrics(cdp)).cpu;
  await tracker.quiet(cpuMs);
  // Earlier page loads (every condition's) leave garbage behind. Left to V8, its major GC runs a
  // few hundred ms later, inside whichever span lasts that long: ours, which waits for its ingest
  // requests, ran about twice as long as bare's and paid 15-25 ms for it (attributes-10000: bare
  // too cost ~45% more with its span padded by 250 ms). Each span starts from a collected heap;
  // what the recorder allocates during the span is still collected, and counted, within it.
  await cdp.send('HeapProfiler.collectGarbage');
  await tracker.quiet(cpuMs);
  tracker.bodies = [];

  const before = await mainThreadMetrics(cdp);
  const blockingMs = await page.evaluate(async () => {
    const start = performance.now();
    (window as unknown as { benchWorkload(): void }).benchWorkload();
    // MutationObserver callbacks, where rrweb does its work, run as microtasks before this message task.
    await new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(null);
    });
    return performance.now() - start;
  });
  // Every condition gets the event, so its own cost is the same everywhere.
  await flushByHiding(page);
  await tracker.quiet(cpuMs);
  // A paused recorder still owes the page its resume snapshot: the span runs on until that is sent.
  const storm = tracker.sent(CUSTOM_EVENT_TAGS.storm);
  if (storm) {
    const deadline = Date.now() + STORM_RESUME_TIMEOUT_MS;
    while (!tracker.sent('"resumed"')) {
      if (Date.now() > deadline) throw new Error(`${workload}: the recorder paused for a storm and did not resume`);
      await sleep(STORM_POLL_MS);
      await flushByHiding(page);
    }
    await tracker.quiet(cpuMs);
  }
  const after = await mainThreadMetrics(cdp);
  await cdp.detach();
  await page.goto('about:blank'); // stops the recorder's timers before the next condition's page
  return { cpuMs: after.cpu - before.cpu, taskMs: after.task - before.task, blockingMs, storm };
}

function report(workloads: string[], samples: Map<string, Sample[]>): void {
  const med = (workload: string, field: 'cpuMs' | 'taskMs' | 'blockingMs') =>
    Object.fromEntries(CONDITIONS.map((c) => [c, median(samples.get(`${workload}/${c}`)!.map((s) => s[field]))])) as Record<
      Condition,
      number
    >;
  const fmt = (ms: number) => ms.toFixed(1);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');

  console.log('\nMedian ms per workload. cpu = main-thread CPU time (CDP ThreadTime) from the workload until all is sent');
  console.log('and idle (for ours, through a storm pause to its resume snapshot); task = main-thread task wall time');
  console.log('(CDP TaskDuration), same span; blocking = workload + MutationObserver callbacks (performance.now).');
  console.log('rec = the recorders\' own shares: (ours - none) / (bare - none). storms = runs where ours paused.\n');
  console.log('| workload | none cpu | bare cpu | ours cpu | ours/bare cpu | rec cpu | ours/bare task | bare blocking | ours blocking | ours/bare blocking | storms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const totals = { none: 0, bare: 0, ours: 0 };
  for (const workload of workloads) {
    const cpu = med(workload, 'cpuMs');
    const task = med(workload, 'taskMs');
    const blocking = med(workload, 'blockingMs');
    const ours = samples.get(`${workload}/ours`)!;
    for (const condition of CONDITIONS) totals[condition] += cpu[condition];
    console.log(
      `| ${workload} | ${fmt(cpu.none)} | ${fmt(cpu.bare)} | ${fmt(cpu.ours)} | ${ratio(cpu.ours, cpu.bare)} | ` +
        `${ratio(cpu.ours - cpu.none, cpu.bare - cpu.none)} | ${ratio(task.ours, task.bare)} | ` +
        `${fmt(blocking.bare)} | ${fmt(blocking.ours)} | ${ratio(blocking.ours, blocking.bare)} | ` +
        `${ours.filter((s) => s.storm).length}/${ours.length} |`,
    );
  }
  const overall = totals.ours / totals.bare;
  console.log(
    `| all (sum of medians) | ${fmt(totals.none)} | ${fmt(totals.bare)} | ${fmt(totals.ours)} | ${overall.toFixed(2)} | ` +
      `${ratio(totals.ours - totals.none, totals.bare - totals.none)} | | | | | |`,
  );
  console.log(`\nours/bare main-thread CPU: ${overall.toFixed(2)}x (target <= ${TARGET_RATIO}x): ${overall <= TARGET_RATIO ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  const reps = positiveIntOption(process.argv.slice(2), '--reps', DEFAULT_REPS);
  const started = Date.now();
  const frictionlens = await startFrictionlens();
  let browser: Browser | undefined;
  let servers: Record<Condition, StaticServer> | undefined;
  try {
    servers = await startConditionServers(frictionlens);
    browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const tracker = new IngestTracker(page);
    page.on('pageerror', (error) => tracker.failures.push(`page error: ${error.message}`));

    await page.goto(`${servers.none.origin}/${PAGE}`);
    const workloads = await page.evaluate(() => (window as unknown as { benchWorkloadNames: string[] }).benchWorkloadNames);
    // One unrecorded run per condition warms up the browser, the server and the caches.
    for (const condition of CONDITIONS) await measure(page, tracker, servers[condition].origin, condition, workloads[0]!);

    const samples = new Map<string, Sample[]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const [index, workload] of workloads.entries()) {
        // Rotate which condition goes first, so drift during a round does not favour one.
        const order = CONDITIONS.map((_, i) => CONDITIONS[(i + rep + index) % CONDITIONS.length]!);
        for (const condition of order) {
          const sample = await measure(page, tracker, servers[condition].origin, condition, workload);
          const key = `${workload}/${condition}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
      console.log(`round ${rep + 1}/${reps} done, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (tracker.failures.length > 0) throw new Error(`the recorded pages misbehaved:\n${tracker.failures.join('\n')}`);
    console.log(`\nChromium ${browser.version()}, ${reps} runs per cell, conditions interleaved`);
    report(workloads, samples);
  } finally {
    await browser?.close();
    for (const server of Object.values(servers ?? {})) await server.close();
    await frictionlens.stop();
  }
}

await main();
