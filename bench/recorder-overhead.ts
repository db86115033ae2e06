// Main-thread cost bench: DOM mutation workloads in Chromium with no recorder, bare rrweb (alone and + JSON.stringify), Sentry Replay and our recorder.js.
// Run: npm run bench:recorder-overhead [-- --reps 5] [--workloads a,b] [--conditions none,bare,ours] [--no-checkout] [--recorder-js x/recorder.js]
//      [--old-js before/recorder.js]: an older build measured as 'old' in the same rounds, beside ours; [--each-round]: medians after every round;
//      [--samples out.json]: every run's figures
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { CUSTOM_EVENT_TAGS } from '../recorder/src/wire/format';
import { launchChromium } from '../test/support/launch-chromium';
import { startFrictionlens } from '../test/support/start-frictionlens';
import type { StaticServer } from '../test/support/static-server';
import { listOption, median, positiveIntOption, stringOption } from './bench-args';
import { ALL_CONDITIONS, BENCH_PAGE as PAGE, CONDITIONS, FLUSH_BY_HIDING_JS, isOurs, startConditionServers, type Condition } from './condition-pages';
import { printOverheadReport, type Sample } from './recorder-overhead-report';
import { PostTracker, startTrackingProxy } from './recorder-post-tracker';
import { openRawPage, type RawPage } from './recorder-raw-page';

/** Medians over this many runs per workload and condition; rounds interleave the conditions. */
const DEFAULT_REPS = 5;
/**
 * A sustained workload (many small bursts over frames and seconds) is measured from its start
 * until this long after, as issue 12 measured it: batching, serializing, compressing and sending
 * by each recorder's own timers fall inside. Then the tab is hidden, so what is still buffered is
 * sent, and the span runs on until all is sent.
 */
const SUSTAINED_SPAN_MS = 7000;
/**
 * After a storm pause, the recorder resumes with a full snapshot once the page has been calm 2 s
 * (storm-detector.ts). A paused recorder posts nothing, so the wait starts while a long workload
 * (the one-shots back to back) may still be mutating the page: 8 s was too short for those.
 */
const STORM_RESUME_TIMEOUT_MS = 30_000;
const STORM_POLL_MS = 500;
/** Sentry's replay and ours send the page's first snapshot soon after load; each span starts after it. */
const FIRST_POST_TIMEOUT_MS = 15_000;
/** Moved forward by this, the page's clock makes our recorder's next change take a checkout (CHECKOUT_EVERY_MS is 5 min). */
const CHECKOUT_CLOCK_SHIFT_MS = 5 * 60_000 + 1000;

/**
 * Renderer main thread, from CDP Performance.getMetrics. TaskDuration: wall time of every task the
 * main thread ran (scripts, style and layout, garbage collection in them and V8's own GC tasks,
 * the structured cloning of a postMessage), what issue 12 measured; it grows when other processes
 * take the core mid-task. ThreadTime: the thread's CPU time, which they cannot inflate.
 */
async function mainThreadMetrics(page: RawPage): Promise<{ cpu: number; task: number }> {
  const { metrics } = await page.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics');
  const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
  return { cpu: ms('ThreadTime'), task: ms('TaskDuration') };
}

async function open(page: RawPage, tracker: PostTracker, origin: string, condition: Condition, workload: string): Promise<void> {
  tracker.bodies = [];
  await page.goto(`${origin}/${PAGE}?workload=${workload}`);
  // The page's snapshot, sent before the span starts.
  if (isOurs(condition)) await tracker.waitFor('"type":2,', FIRST_POST_TIMEOUT_MS);
  if (condition === 'sentry') await tracker.waitFor('replay_recording', FIRST_POST_TIMEOUT_MS);
}

async function measure(page: RawPage, tracker: PostTracker, origin: string, condition: Condition, workload: string, sustained: boolean): Promise<Sample> {
  await open(page, tracker, origin, condition, workload);
  const cpuMs = async () => (await mainThreadMetrics(page)).cpu;
  await tracker.quiet(cpuMs);
  // Earlier page loads (every condition's) leave garbage behind. Left to V8, its major GC runs a
  // few hundred ms later, inside whichever span lasts that long. Each span starts from a collected
  // heap; what the recorder allocates during the span is still collected, and counted, within it.
  await page.send('HeapProfiler.collectGarbage');
  await tracker.quiet(cpuMs);
  tracker.bodies = [];

  const started = Date.now();
  const before = await mainThreadMetrics(page);
  await page.evaluate('window.benchWorkload()');
  if (sustained) await sleep(started + SUSTAINED_SPAN_MS - Date.now());
  // Every condition gets the event, so its own cost is the same everywhere.
  await page.evaluate(FLUSH_BY_HIDING_JS);
  await tracker.quiet(cpuMs);
  // A paused recorder still owes the page its resume snapshot: the span runs on until that is sent.
  const storm = tracker.sent(CUSTOM_EVENT_TAGS.storm);
  if (storm) {
    const deadline = Date.now() + STORM_RESUME_TIMEOUT_MS;
    while (!tracker.sent('"resumed"')) {
      if (Date.now() > deadline) throw new Error(`${workload}, ${condition}: the recorder paused for a storm and did not resume`);
      await sleep(STORM_POLL_MS);
      await page.evaluate(FLUSH_BY_HIDING_JS);
    }
    await tracker.quiet(cpuMs);
  }
  const after = await mainThreadMetrics(page);
  const spanMs = Date.now() - started;
  const sample: Sample = { cpuMs: after.cpu - before.cpu, taskMs: after.task - before.task, spanMs, storm };
  if (condition === 'ours' && !storm && withCheckout) sample.checkout = await measureCheckout(page, tracker, cpuMs);
  if (isOurs(condition)) await endSession(page, origin);
  await page.goto('about:blank'); // stops the recorders' timers before the next condition's page
  return sample;
}

/**
 * Each measured page load starts a session of its own, as a visitor's would. In one tab the
 * recording session would go on through every run (sessionStorage), and a long run passed the
 * server's cap of 100 MB a session: 413, and nothing more recorded. A page of the same origin
 * without the recorder (the static server's 404) clears it.
 */
async function endSession(page: RawPage, origin: string): Promise<void> {
  await page.goto(`${origin}/bench-no-recorder`);
  await page.evaluate('sessionStorage.clear()');
}

/**
 * One periodic full snapshot on the page the workload left: the clock moves 5 min on and one
 * attribute changes, so rrweb takes its checkout; measured until it is sent. Outside the span above.
 */
async function measureCheckout(page: RawPage, tracker: PostTracker, cpuMs: () => Promise<number>) {
  await tracker.quiet(cpuMs);
  tracker.bodies = [];
  const before = await mainThreadMetrics(page);
  await page.evaluate(`window.benchShiftClock(${CHECKOUT_CLOCK_SHIFT_MS}); document.body.setAttribute('data-bench-checkout', String(Date.now()))`);
  // The recorder sends a checkout at once, like the first snapshot: no hiding here.
  const deadline = Date.now() + FIRST_POST_TIMEOUT_MS;
  while (!tracker.sent('"type":2,')) {
    if (Date.now() > deadline) return undefined;
    await sleep(50);
  }
  await tracker.quiet(cpuMs);
  const after = await mainThreadMetrics(page);
  return { cpuMs: after.cpu - before.cpu, taskMs: after.task - before.task };
}

/** --each-round: print the medians so far after every round, not only at the end. */
const eachRound = process.argv.includes('--each-round');

/** --no-checkout: skip the checkout measurement (a recorder without periodic snapshots never takes one). */
const withCheckout = !process.argv.includes('--no-checkout');

/** --samples FILE: every run's figures as JSON, per workload/condition in round order, for paired comparisons. */
const samplesFile = stringOption(process.argv, '--samples');

const loadAverage = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const reps = positiveIntOption(argv, '--reps', DEFAULT_REPS);
  const oldJs = argv.indexOf('--old-js');
  const conditions = (listOption(argv, '--conditions') ?? (oldJs >= 0 ? ALL_CONDITIONS : CONDITIONS)) as Condition[];
  if (!conditions.includes('none') || conditions.some((c) => !ALL_CONDITIONS.includes(c))) throw new Error(`--conditions: none and any of ${ALL_CONDITIONS}`);
  if (conditions.includes('old') !== oldJs >= 0) throw new Error('the old condition needs --old-js, and --old-js the old condition');
  const started = Date.now();
  const loads = [loadAverage()];
  const frictionlens = await startFrictionlens();
  let browser: Browser | undefined;
  let servers: Record<Condition, StaticServer> | undefined;
  const tracker = new PostTracker();
  const proxies: { close(): Promise<void> }[] = [];
  try {
    const recorderJs = argv.indexOf('--recorder-js');
    const via = async (hostPort: string) => {
      const proxy = await startTrackingProxy(hostPort, tracker);
      proxies.push(proxy);
      return proxy.hostPort;
    };
    servers = await startConditionServers(frictionlens, recorderJs >= 0 ? argv[recorderJs + 1] : undefined, oldJs >= 0 ? argv[oldJs + 1] : undefined, via);
    browser = await launchChromium();
    // Not a Playwright page: its Network domain would copy every request body on the page's main thread.
    const page = await openRawPage(browser);
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    await page.send('Performance.enable');
    await page.send('Runtime.enable');
    page.on('Runtime.exceptionThrown', (params) => {
      const { exceptionDetails } = params as { exceptionDetails: { text: string; exception?: { description?: string } } };
      tracker.failures.push(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    });

    await page.goto(`${servers.none.origin}/${PAGE}`);
    const { names, sustained } = await page.evaluate<{ names: string[]; sustained: string[] }>('({ names: window.benchWorkloadNames, sustained: window.benchSustained })');
    const workloads = listOption(argv, '--workloads') ?? names;
    for (const w of workloads) if (!names.includes(w)) throw new Error(`no workload named ${w}`);
    // One unrecorded run per condition warms up the browser, the server and the caches.
    for (const condition of conditions) await measure(page, tracker, servers[condition].origin, condition, names[0]!, false);

    const samples = new Map<string, Sample[]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const [index, workload] of workloads.entries()) {
        // Rotate which condition goes first, so drift during a round does not favour one.
        const order = conditions.map((_, i) => conditions[(i + rep + index) % conditions.length]!);
        for (const condition of order) {
          const sample = await measure(page, tracker, servers[condition].origin, condition, workload, sustained.includes(workload));
          const key = `${workload}/${condition}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
      loads.push(loadAverage());
      console.log(`round ${rep + 1}/${reps} done, ${((Date.now() - started) / 1000).toFixed(0)} s; ${loads.at(-1)}`);
      // On a loaded machine a run can outlast the time there is: the medians so far, after each round.
      if (eachRound && rep + 1 < reps) printOverheadReport(workloads, sustained, conditions, samples, median);
    }
    if (tracker.failures.length > 0) throw new Error(`the recorded pages misbehaved:\n${tracker.failures.join('\n')}`);
    console.log(`\nChromium ${browser.version()}, ${reps} runs per cell, conditions interleaved`);
    console.log(`load at start and after each round:\n  ${loads.join('\n  ')}`);
    printOverheadReport(workloads, sustained, conditions, samples, median);
    if (samplesFile) writeFileSync(samplesFile, JSON.stringify(Object.fromEntries(samples), null, 1));
  } finally {
    await browser?.close();
    for (const server of Object.values(servers ?? {})) await server.close();
    for (const proxy of proxies) await proxy.close();
    await frictionlens.stop();
  }
}

await main();
