// Where a recorder's main-thread time goes, by Chromium's own trace: CPU per trace event (script, layout, paint, GC, messaging) on the page's main thread, and the renderer's other threads, per condition side by side.
// Run: npm run bench:recorder-trace -- <workload> [--reps 3] [--conditions bare,ours] [--recorder-js x/recorder.js] [--old-js y/recorder.js] [--top 25]
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from '../test/support/launch-chromium';
import { startFrictionlens } from '../test/support/start-frictionlens';
import { listOption, positiveIntOption, stringOption } from './bench-args';
import type { TraceEvent } from './chromium-trace-cpu';
import { ALL_CONDITIONS, BENCH_PAGE, FLUSH_BY_HIDING_JS, startConditionServers, type Condition } from './condition-pages';
import { openRawPage } from './recorder-raw-page';

/** Categories whose complete events carry thread CPU time (tdur): tasks, script, style, layout, paint, GC. */
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'loading'];
/** After load (the first snapshot sent), and after hiding the tab (batches compressed and sent). */
const SETTLE_MS = 2000;
/** A sustained workload runs this long before the tab is hidden, as in the overhead bench. */
const SUSTAINED_MS = 7000;

/** Self CPU ms per event name on the busiest renderer main thread, and total CPU ms of that process's other threads by name. */
function cpuByEvent(events: TraceEvent[]): Map<string, number> {
  const threadName = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const taskCpu = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask') taskCpu.set(key, (taskCpu.get(key) ?? 0) + (e.tdur ?? 0));
  }
  const renderers = [...taskCpu].filter(([key]) => threadName.get(key) === 'CrRendererMain').sort((a, b) => b[1] - a[1]);
  if (!renderers.length) throw new Error('no renderer main thread in the trace');
  const [main, mainCpu] = renderers[0]!;
  const out = new Map<string, number>([['(main thread, all tasks)', mainCpu / 1000]]);
  const pid = main.split(':')[0];
  for (const [key, cpu] of taskCpu) {
    if (key !== main && key.split(':')[0] === pid) out.set(`(thread ${threadName.get(key) ?? '?'})`, (out.get(`(thread ${threadName.get(key) ?? '?'})`) ?? 0) + cpu / 1000);
  }
  // Complete events nest: each one's own CPU is its tdur less its children's.
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.tdur !== undefined);
  mine.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const open: { name: string; end: number }[] = [];
  for (const e of mine) {
    while (open.length && open[open.length - 1]!.end <= e.ts) open.pop();
    const parent = open[open.length - 1];
    if (parent) out.set(parent.name, (out.get(parent.name) ?? 0) - e.tdur! / 1000);
    out.set(e.name, (out.get(e.name) ?? 0) + e.tdur! / 1000);
    open.push({ name: e.name, end: e.ts + (e.dur ?? 0) });
  }
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const workload = argv.find((arg, i) => !arg.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!workload) throw new Error('name a workload, e.g. npx tsx bench/recorder-trace.ts add-10000-and-move');
  const reps = positiveIntOption(argv, '--reps', 3);
  const top = positiveIntOption(argv, '--top', 25);
  const conditions = (listOption(argv, '--conditions') ?? ['bare', 'ours']) as Condition[];
  if (conditions.some((c) => !ALL_CONDITIONS.includes(c))) throw new Error(`--conditions: any of ${ALL_CONDITIONS}`);
  const frictionlens = await startFrictionlens();
  const servers = await startConditionServers(frictionlens, stringOption(argv, '--recorder-js'), stringOption(argv, '--old-js'));
  const browser = await launchChromium();
  try {
    const page = await openRawPage(browser);
    await page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false });
    const means = new Map<Condition, Map<string, number>>();
    for (let rep = 0; rep < reps; rep++) {
      for (const condition of conditions) {
        const server = servers[condition];
        if (!server) throw new Error(`${condition}: no page (the old condition needs --old-js)`);
        await page.goto(`${server.origin}/${BENCH_PAGE}?workload=${workload}`);
        const sustained = await page.evaluate<boolean>(`(window.benchSustained || []).includes(${JSON.stringify(workload)})`);
        await sleep(SETTLE_MS);
        await page.send('HeapProfiler.collectGarbage');
        const tracing = await browser.newBrowserCDPSession();
        const events: TraceEvent[] = [];
        tracing.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
        const complete = new Promise<void>((resolve) => tracing.once('Tracing.tracingComplete', () => resolve()));
        await tracing.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
        await page.evaluate('window.benchWorkload()');
        if (sustained) await sleep(SUSTAINED_MS);
        await page.evaluate(FLUSH_BY_HIDING_JS);
        await sleep(SETTLE_MS);
        await tracing.send('Tracing.end');
        await complete;
        await tracing.detach();
        const sum = means.get(condition) ?? new Map<string, number>();
        for (const [name, ms] of cpuByEvent(events)) sum.set(name, (sum.get(name) ?? 0) + ms / reps);
        means.set(condition, sum);
        await page.goto('about:blank');
      }
    }
    console.log(`Chromium ${browser.version()}, ${workload}, mean of ${reps} traces: CPU ms from the workload's start until ${SETTLE_MS} ms after hiding the tab.`);
    console.log('Own CPU per trace event on the page main thread (children excluded); (thread …): the renderer\'s other threads.\n');
    const names = new Set([...means.values()].flatMap((m) => [...m.keys()]));
    const first = means.get(conditions[0]!)!;
    const last = means.get(conditions[conditions.length - 1]!)!;
    const rows = [...names].sort((a, b) => Math.abs((last.get(b) ?? 0) - (first.get(b) ?? 0)) - Math.abs((last.get(a) ?? 0) - (first.get(a) ?? 0)));
    const pinned = rows.filter((n) => n.startsWith('('));
    console.log(`| event | ${conditions.join(' | ')} | ${conditions[conditions.length - 1]} - ${conditions[0]} |`);
    console.log(`|---|${conditions.map(() => '---:').join('|')}|---:|`);
    for (const name of [...pinned, ...rows.filter((n) => !n.startsWith('(')).slice(0, top)]) {
      const cells = conditions.map((c) => (means.get(c)!.get(name) ?? 0).toFixed(1));
      console.log(`| ${name} | ${cells.join(' | ')} | ${((last.get(name) ?? 0) - (first.get(name) ?? 0)).toFixed(1)} |`);
    }
  } finally {
    await browser.close();
    for (const server of Object.values(servers)) await server.close();
    await frictionlens.stop();
  }
}

await main();
