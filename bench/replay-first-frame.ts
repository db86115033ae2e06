// Time from navigation to the replay's first frame in Chromium: a 1-minute session, and a 60-minute one opened at its start and at minute 59.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { CreatedSite, SessionTimeline } from '../server/src/api-types';
import { CHROMIUM_ARGS, findChromium } from '../test/support/launch-chromium';
import { signInContext } from '../test/support/sign-in-viewer';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../test/support/start-frictionlens';
import {
  changeCount,
  changeIndexAt,
  ingestBodies,
  pageEvents,
  sessionBodies,
  statusText,
  type SyntheticPage,
} from '../test/support/synthetic-session';
import { median, positiveIntOption } from './bench-args';
import { traceCpu } from './chromium-trace-cpu';

const RUNS = positiveIntOption(process.argv, '--runs', 5);
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE_MS = 60_000;
/** Minute 59 and a little, so no change falls exactly on the moment. */
const DEEP_LINK_MS = 59 * MINUTE_MS + 17;
/** A visit that shows nothing by then has failed; the bench says so instead of waiting forever. */
const FIRST_FRAME_TIMEOUT_MS = 120_000;

/**
 * The 60-minute page takes a full snapshot every CHECKOUT_MIN minutes, as rrweb's checkoutEveryNms
 * records it (5 by default, as Sentry's replay SDK does); with --no-checkouts, the same session as one
 * snapshot at the start only, alongside, to weigh what the periodic snapshots buy.
 */
const CHECKOUT_MIN = positiveIntOption(process.argv, '--checkout-every-min', 5);
const COMPARE_NO_CHECKOUTS = process.argv.includes('--no-checkouts');

/**
 * Each fresh browser context of headless Chromium (156) opens a window, and each new window loads
 * the omnibox's WebUI popups (chrome://omnibox-popup.top-chrome) in a renderer of their own: 120 to
 * 900 ms of CPU, and more of the browser process's, during the very second being measured, on a
 * 2-core machine. A link opened in a tab of a running browser does not pay it, so the bench turns it
 * off; --with-window-ui keeps it, to compare. Chromium 156 has two: WebUIOmniboxPopup alone left
 * its AI-mode popup (omnibox_popup_aim.html) loading in most visits.
 */
const WINDOW_UI_OFF = ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'];
const KEEP_WINDOW_UI = process.argv.includes('--with-window-ui');

/**
 * --compare-with DIR: another checkout of frictionlens, built (`npm run build` there), whose server
 * and viewer are measured in the same run, each visit of one next to the same visit of the other in
 * alternating order, so load from other work on the machine falls on both alike.
 */
const compareIndex = process.argv.indexOf('--compare-with');
const COMPARE_DIR = compareIndex >= 0 ? resolve(process.argv[compareIndex + 1] ?? '') : null;
/**
 * --profile DIR: writes each visit's Chromium trace there with V8's sampling profiler on, for
 * DevTools' Performance panel; the profiler's own cost makes those visits' timings slower.
 */
const profileIndex = process.argv.indexOf('--profile');
const PROFILE_DIR = profileIndex >= 0 ? resolve(process.argv[profileIndex + 1] ?? '') : null;
/**
 * --warm: each visit's fresh context first opens the replay of another short session and waits for
 * its first frame, then the measured link opens in a new tab. Opening a replay takes a sign-in,
 * which the viewer itself gives, so a signed-in user's browser has the viewer's fingerprinted
 * (immutable) scripts in its cache already; cold visits (the default) are the stricter case of a
 * cache emptied since.
 */
const WARM = process.argv.includes('--warm');
const WARM_SESSION_ID = 'bench-warm-session';
const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];
const PROFILE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];

const page = (pageId: string, durationMs: number, checkoutEveryMs?: number): SyntheticPage => ({
  pageId,
  url: 'https://bench.example/prices',
  title: 'Live prices',
  startTs: T0,
  durationMs,
  ...(checkoutEveryMs ? { checkoutEveryMs } : {}),
});
const shortPage = page('page-short-0001', MINUTE_MS);
const longPage = page('page-long-00001', 60 * MINUTE_MS, CHECKOUT_MIN * MINUTE_MS);
const singleSnapshotPage = page('page-single-001', 60 * MINUTE_MS);
const warmPage = page('page-warm-00001', MINUTE_MS);

interface Scenario {
  name: string;
  sessionId: string;
  page: SyntheticPage;
  atMs?: number;
}
const scenarios: Scenario[] = [
  { name: '1-min session, at start', sessionId: 'bench-short-session', page: shortPage },
  { name: '60-min session, at start', sessionId: 'bench-long-session', page: longPage },
  { name: '60-min session, link at 59:00', sessionId: 'bench-long-session', page: longPage, atMs: DEEP_LINK_MS },
  ...(COMPARE_NO_CHECKOUTS
    ? [{ name: 'same, one snapshot only, 59:00', sessionId: 'bench-single-session', page: singleSnapshotPage, atMs: DEEP_LINK_MS }]
    : []),
];

/** The viewer's performance marks (REPLAY_MARKS in viewer/src/state/session-replay.svelte.ts), in the order they happen. */
const PHASES = [
  ['listed', 'frictionlens:replay-listed'],
  ['needed in', 'frictionlens:replay-needed-batches-in'],
  ['player mounting', 'frictionlens:replay-player-mounting'],
  ['player built', 'frictionlens:replay-player-built'],
  ['seeked', 'frictionlens:replay-seeked'],
] as const;

interface Measured {
  /** Each phase's mark, ms from navigation start. */
  phases: number[];
  /** Main-thread CPU of the tab in each phase, ms: from navigation (or the phase before) to the phase's mark, and the last from 'seeked' to the first frame. */
  phaseCpuMs: number[];
  /** CPU of all of Chromium's other threads and processes (browser, GPU, network, other renderers) from navigation to the first frame, ms. */
  otherCpuMs: number;
  firstFrameMs: number;
  /**
   * CPU time of the tab's main thread in its tasks from navigation to the first frame (from a
   * Chromium trace): what the viewer itself spent, which other work on a shared machine stretches
   * far less than the wall-clock time.
   */
  firstFrameCpuMs: number;
  /** Until every batch has arrived and been handed to the player. */
  allLoadedMs: number;
  /** When each request on the way to the first frame had its answer (responseEnd, ms from navigation), by REQUESTS label. */
  answered: number[];
  /** When each of those requests was sent (fetchStart, ms from navigation): an answer late because it was asked late, or late from the server. */
  asked: number[];
  heapBytes: number;
}

/**
 * The requests on the way to the first frame, each matched by its path: where the time before the
 * viewer's own marks goes (the page, its script, the sign-in check, the session and its batches).
 */
const REQUESTS = [
  ['page', /^\/$/],
  ['script', /^\/assets\/index-(?!client-)[^/]*\.js$/],
  ['svelte', /^\/assets\/(index-)?client-[^/]*\.js$/],
  ['app chunk', /^\/assets\/App-[^/]*\.js$/],
  ['player chunk', /^\/assets\/ReplayStage-[^/]*\.js$/],
  ['sign-in check', /^\/api\/auth\/session$/],
  ['session', /^\/api\/sessions\/[^/]+$/],
  ['batch list', /^\/api\/sessions\/[^/]+\/batches$/],
  ['first batches', /^\/api\/sessions\/[^/]+\/batches\/data$/],
] as const;

const FIRST_FRAME_MARK = 'bench:replay-first-frame';

/**
 * Page script that resolves with the time of the first animation frame in which the replay's iframe
 * shows `expected` in a visible frame, and leaves `mark` there. Checked in each animation frame,
 * before the frame is rendered: the frame's rendering (style, layout, paint) runs in the same task,
 * whose end the trace gives (see traceCpu). Source text, not a function: tsx would wrap a named
 * inner function in a helper the page lacks.
 */
function firstFrameScript(expected: string, mark: string): string {
  return `new Promise((resolve, reject) => {
    const status = () => {
      const frame = document.querySelector('.player iframe');
      const element = frame?.contentDocument?.getElementById('status');
      return frame && element && frame.offsetWidth > 0 && frame.offsetHeight > 0 && element.getClientRects().length > 0 ? element.textContent : null;
    };
    const check = () => {
      if (status() === ${JSON.stringify(expected)}) {
        performance.mark(${JSON.stringify(mark)});
        resolve(performance.now());
      } else if (performance.now() > ${FIRST_FRAME_TIMEOUT_MS}) reject(new Error('no first frame; the replay shows ' + status()));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })`;
}
/** One cold visit (fresh browser context, empty cache) of the scenario's replay link. */
async function measure(browser: Browser, origin: string, token: string, scenario: Scenario, traceFile?: string): Promise<Measured> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The cookie is handed to the context, so the viewer's first load stays a cold one.
  await signInContext(context, origin, token);
  if (WARM) {
    const warmTab = await context.newPage();
    await warmTab.goto(`${origin}/#/sessions/${WARM_SESSION_ID}`, { waitUntil: 'commit' });
    await warmTab.evaluate(firstFrameScript(statusText(changeIndexAt(warmPage, warmPage.startTs)), 'bench:warm-first-frame'));
    await warmTab.close();
  }
  const tab = await context.newPage();
  const hash = `#/sessions/${scenario.sessionId}${scenario.atMs === undefined ? '' : `?t=${scenario.atMs}`}`;
  const expected = statusText(changeIndexAt(scenario.page, scenario.page.startTs + (scenario.atMs ?? 0)));
  await browser.startTracing(tab, { categories: PROFILE_DIR ? [...TRACE_CATEGORIES, ...PROFILE_CATEGORIES] : TRACE_CATEGORIES });
  await tab.goto(`${origin}/${hash}`, { waitUntil: 'commit' });
  // The first frame: the replay's iframe shows the page as it was at the requested moment.
  const seenMs = (await tab.evaluate(firstFrameScript(expected, FIRST_FRAME_MARK))) as number;
  await tab.waitForFunction(() => !document.body.textContent?.includes('Loading the rest of the recording'), null, { polling: 50, timeout: FIRST_FRAME_TIMEOUT_MS });
  const allLoadedMs = await tab.evaluate(() => performance.now());
  // Stopped only now: stopping it right after the first frame held the tab for seconds.
  const trace = await browser.stopTracing();
  if (PROFILE_DIR && traceFile) writeFileSync(join(PROFILE_DIR, traceFile), trace);
  const cpu = traceCpu(trace, FIRST_FRAME_MARK, PHASES.map(([, mark]) => mark));
  // Without the frame's task in the trace, the time it was seen (a few ms early).
  const firstFrameMs = seenMs + (Number.isFinite(cpu.renderedAfterMarkMs) ? cpu.renderedAfterMarkMs : 0);
  const cpuBounds = [0, ...cpu.toMarks, cpu.firstFrame];
  const phaseCpuMs = cpuBounds.slice(1).map((until, i) => until - cpuBounds[i]!);
  const phases = await tab.evaluate(
    (names) => names.map((name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN),
    PHASES.map(([, mark]) => mark),
  );
  const timings = await tab.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((entry) => ({
      path: new URL(entry.name).pathname,
      start: entry.startTime,
      end: (entry as PerformanceResourceTiming).responseEnd,
    })),
  );
  // The first request of each kind: a later one (the rest of the batches) is not on the way to the first frame.
  const answered = REQUESTS.map(([, path]) => timings.find((timing) => path.test(timing.path))?.end ?? NaN);
  const asked = REQUESTS.map(([, path]) => timings.find((timing) => path.test(timing.path))?.start ?? NaN);
  const cdp = await context.newCDPSession(tab);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heapBytes = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
  await context.close();
  return { phases, phaseCpuMs, otherCpuMs: cpu.others, firstFrameMs, firstFrameCpuMs: cpu.firstFrame, allLoadedMs, answered, asked, heapBytes };
}

/** The 1, 5 and 15 minute load averages: timings on a shared machine mean little without them. */
function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

interface Build {
  label: string;
  frictionlens: RunningFrictionlens;
}

/** Starts the server of `dir` (a checkout), or of this one, and stores the sessions in it. */
async function startBuild(dir: string | null, bodies: Buffer[]): Promise<Build> {
  const start: typeof startFrictionlens = dir
    ? ((await import(pathToFileURL(join(dir, 'test/support/start-frictionlens.ts')).href)) as { startFrictionlens: typeof startFrictionlens }).startFrictionlens
    : startFrictionlens;
  const frictionlens = await start();
  const build = { label: dir ? basename(dir) : 'this build', frictionlens };
  try {
    const site = await frictionlens.api<CreatedSite>('/api/sites', {
      method: 'POST',
      body: JSON.stringify({ name: 'Bench', origins: ['https://bench.example'] }),
    });
    await ingestBodies(frictionlens.origin, site.key, bodies);
    // The analysis process reads every stored batch; measuring while it still works on these sessions
    // would give it a core the replay would otherwise have. Waited out, as a replay opened later would be.
    const analysisStart = Date.now();
    for (const sessionId of new Set([...scenarios.map((scenario) => scenario.sessionId), ...(WARM ? [WARM_SESSION_ID] : [])])) {
      await waitFor(() => frictionlens.api<SessionTimeline>(`/api/sessions/${sessionId}/timeline`), (timeline) => timeline.pendingBatches === 0, 600_000, 1000);
    }
    console.log(`${build.label}: analysis of the sessions finished ${((Date.now() - analysisStart) / 1000).toFixed(0)} s after the last batch was stored`);
  } catch (error) {
    await frictionlens.stop();
    throw error;
  }
  return build;
}

function report(builds: readonly Build[], results: Map<string, Measured[]>): void {
  for (const build of builds) {
    const of = (scenario: Scenario) => results.get(`${build.label}|${scenario.name}`)!;
    const baseline = median(of(scenarios[0]!).map((m) => m.firstFrameMs));
    // A visit whose trace lacks the navigation or the mark has no CPU figure (NaN); the median is of the others.
    const cpuMedian = (measured: Measured[]) => median(measured.map((m) => m.firstFrameCpuMs).filter(Number.isFinite));
    const baselineCpu = cpuMedian(of(scenarios[0]!));
    console.log(`\n${build.label}: medians of ${RUNS} ${WARM ? 'warm visits each (fresh browser context that opened another replay first)' : 'cold visits each (fresh browser context)'}; load average now ${loadAverage()}:`);
    for (const scenario of scenarios) {
      const measured = of(scenario);
      const firstFrame = median(measured.map((m) => m.firstFrameMs));
      const loaded = median(measured.map((m) => m.allLoadedMs));
      const cpu = cpuMedian(measured);
      const heap = median(measured.map((m) => m.heapBytes)) / 1e6;
      console.log(
        `${scenario.name.padEnd(32)} first frame ${firstFrame.toFixed(0).padStart(5)} ms (${(firstFrame / baseline).toFixed(2)}x)` +
          `  main thread CPU ${cpu.toFixed(0).padStart(5)} ms (${(cpu / baselineCpu).toFixed(2)}x, ${measured.filter((m) => Number.isFinite(m.firstFrameCpuMs)).length} traced)` +
          `  all loaded ${loaded.toFixed(0).padStart(5)} ms  JS heap ${heap.toFixed(1)} MB` +
          `  [first frames: ${measured.map((m) => m.firstFrameMs.toFixed(0)).join(', ')}]`,
      );
      const phases = PHASES.map(([label], i) => `${label} ${median(measured.map((m) => m.phases[i]!)).toFixed(0)}`);
      console.log(`${''.padEnd(32)} ms from navigation: ${phases.join(', ')}, first frame ${firstFrame.toFixed(0)}`);
      const phaseCpu = [...PHASES.map(([label]) => label), 'first frame'].map(
        (label, i) => `${label} ${median(measured.map((m) => m.phaseCpuMs[i]!).filter(Number.isFinite)).toFixed(0)}`,
      );
      const others = median(measured.map((m) => m.otherCpuMs).filter(Number.isFinite));
      console.log(`${''.padEnd(32)} main thread CPU ms up to each: ${phaseCpu.join(', ')}; rest of Chromium ${others.toFixed(0)}`);
      const answered = REQUESTS.map(([label], i) => `${label} ${median(measured.map((m) => m.answered[i]!).filter(Number.isFinite)).toFixed(0)}`);
      console.log(`${''.padEnd(32)} answered at: ${answered.join(', ')}`);
      const asked = REQUESTS.map(([label], i) => `${label} ${median(measured.map((m) => m.asked[i]!).filter(Number.isFinite)).toFixed(0)}`);
      console.log(`${''.padEnd(32)} asked at: ${asked.join(', ')}`);
    }
  }
}

async function main(): Promise<void> {
  // Built before the server starts: a connection left idle while they are built may be closed under the first post.
  const shortBodies = sessionBodies('bench-short-session', [shortPage]);
  const longBodies = sessionBodies('bench-long-session', [longPage]);
  const singleBodies = COMPARE_NO_CHECKOUTS ? sessionBodies('bench-single-session', [singleSnapshotPage]) : [];
  const warmBodies = WARM ? sessionBodies(WARM_SESSION_ID, [warmPage]) : [];
  const bodies = [...shortBodies, ...longBodies, ...singleBodies, ...warmBodies];
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const builds: Build[] = [];
  let browser: Browser | undefined;
  try {
    builds.push(await startBuild(null, bodies));
    if (COMPARE_DIR) builds.push(await startBuild(COMPARE_DIR, bodies));
    browser = await chromium.launch({
      executablePath: await findChromium(),
      args: [...CHROMIUM_ARGS, ...(KEEP_WINDOW_UI ? [] : WINDOW_UI_OFF)],
      headless: true,
    });
    console.log(`Chromium ${browser.version()}, ${KEEP_WINDOW_UI ? "with each new window's omnibox popup" : "new windows' omnibox popup off"}; load average at start ${loadAverage()}`);
    const megabytes = (list: Buffer[]) => (list.reduce((sum, body) => sum + body.length, 0) / 1e6).toFixed(2);
    console.log(`1-min session: ${changeCount(shortPage) + 3} events in ${shortBodies.length} batches, ${megabytes(shortBodies)} MB stored`);
    console.log(
      `60-min session: ${pageEvents(longPage).length} events (a full snapshot every ${CHECKOUT_MIN} min) in ${longBodies.length} batches, ${megabytes(longBodies)} MB stored`,
    );

    // One warm-up visit per build, then the scenarios in turn (and the builds in alternating order),
    // so machine load falls on all of them alike.
    for (const build of builds) await measure(browser, build.frictionlens.origin, build.frictionlens.adminToken, scenarios[0]!);
    const results = new Map<string, Measured[]>(builds.flatMap((build) => scenarios.map((s) => [`${build.label}|${s.name}`, []] as [string, Measured[]])));
    for (let run = 0; run < RUNS; run++) {
      for (const [index, scenario] of scenarios.entries()) {
        const order = run % 2 === 0 ? builds : [...builds].reverse();
        for (const build of order) {
          const traceFile = `${build.label.replace(/\W+/g, '-')}-run${run + 1}-scenario${index + 1}.json`;
          const measured = await measure(browser, build.frictionlens.origin, build.frictionlens.adminToken, scenario, traceFile);
          console.log(
            `run ${run + 1}, ${builds.length > 1 ? `${build.label}, ` : ''}${scenario.name}: first frame ${measured.firstFrameMs.toFixed(0)} ms (main thread CPU ${measured.firstFrameCpuMs.toFixed(0)} ms, ` +
              `rest of Chromium ${measured.otherCpuMs.toFixed(0)} ms), all loaded ${measured.allLoadedMs.toFixed(0)} ms, load average ${loadAverage()}`,
          );
          results.get(`${build.label}|${scenario.name}`)!.push(measured);
        }
      }
    }
    report(builds, results);
  } finally {
    await browser?.close();
    for (const build of builds) await build.frictionlens.stop();
  }
}

await main();
