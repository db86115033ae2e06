// Where the recorder's main-thread time goes: CPU profiles of one workload under bare rrweb and our recorder, self time per function.
// Run: npm run bench:recorder-profile -- <workload> [--reps 3] [--top 25]   (workloads: test/fixtures/pages/bench-mutations.html)
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from '../test/support/launch-chromium';
import { startFrictionlens } from '../test/support/start-frictionlens';
import { positiveIntOption } from './bench-args';
import { BENCH_PAGE, FLUSH_BY_HIDING_JS, startConditionServers, type Condition } from './condition-pages';
import { openRawPage, type RawPage } from './recorder-raw-page';

/** Sampling period of V8's CPU profiler, in µs: fine enough for the ~1 ms functions that matter here. */
const SAMPLING_INTERVAL_US = 50;
/** Time to settle after load (first snapshot sent), and after the workload (batches compressed and sent). */
const SETTLE_MS = 1500;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Self time in ms per function ("name file:line:column"; native and GC time under their own names). */
async function profileOnce(page: RawPage): Promise<Map<string, number>> {
  await page.send('HeapProfiler.collectGarbage');
  await page.send('Profiler.enable');
  await page.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await page.send('Profiler.start');
  await page.evaluate('window.benchWorkload()');
  await page.evaluate(FLUSH_BY_HIDING_JS);
  await sleep(SETTLE_MS);
  const { profile } = await page.send<{ profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] } }>('Profiler.stop');
  const selfUs = new Map<number, number>();
  profile.samples!.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  const byFunction = new Map<string, number>();
  for (const { id, callFrame: f } of profile.nodes as ProfileNode[]) {
    if (f.functionName === '(idle)') continue;
    const where = f.url ? ` ${f.url.split('/').pop()!.split('?')[0]}:${f.lineNumber}:${f.columnNumber}` : '';
    const key = `${f.functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (selfUs.get(id) ?? 0) / 1000);
  }
  return byFunction;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const workload = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!workload) throw new Error('name a workload, e.g. npm run bench:recorder-profile -- reorder-10000-options');
  const reps = positiveIntOption(argv, '--reps', 3);
  const top = positiveIntOption(argv, '--top', 25);
  const frictionlens = await startFrictionlens();
  const servers = await startConditionServers(frictionlens);
  const browser = await launchChromium();
  try {
    // Not a Playwright page: its Network domain would copy each post's body on the page's main thread (recorder-raw-page.ts).
    const page = await openRawPage(browser);
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    const totals: Partial<Record<Condition, Map<string, number>>> = {};
    for (let rep = 0; rep < reps; rep++) {
      for (const condition of ['bare', 'ours'] as const) {
        await page.goto(`${servers[condition].origin}/${BENCH_PAGE}?workload=${workload}`);
        const ready = await page.evaluate<boolean>("'benchWorkload' in window");
        if (!ready) throw new Error(`no workload named ${workload}`);
        await sleep(SETTLE_MS);
        const sum = (totals[condition] ??= new Map());
        for (const [key, ms] of await profileOnce(page)) sum.set(key, (sum.get(key) ?? 0) + ms / reps);
        await page.goto('about:blank');
      }
    }
    console.log(`Chromium ${browser.version()}, ${workload}, mean of ${reps} profiles; self time in ms, bare rrweb's functions`);
    console.log('carry the names of its UMD build, ours those of recorder.js. (program) is native work outside JS.\n');
    for (const condition of ['bare', 'ours'] as const) {
      const entries = [...totals[condition]!].sort((a, b) => b[1] - a[1]);
      const all = entries.reduce((sum, [, ms]) => sum + ms, 0);
      console.log(`${condition}: ${all.toFixed(1)} ms in all`);
      for (const [key, ms] of entries.slice(0, top)) console.log(`${ms.toFixed(2).padStart(9)}  ${key}`);
      console.log('');
    }
  } finally {
    await browser.close();
    for (const server of Object.values(servers)) await server.close();
    await frictionlens.stop();
  }
}

await main();
