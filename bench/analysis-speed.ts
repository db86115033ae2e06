// Analysis speed bench: inflate + parse alone against the analysis pass's decode, signals and detectors, on the same batches, one core.
// Run: npm run bench:analysis-speed [-- --sessions 400 --rounds 5] [path/to/recording.json]
import { fileURLToPath } from 'node:url';
import { decodeStoredBatch } from '../server/src/analysis/decode-stored-batch';
import { extractSignals } from '../server/src/analysis/extract-signals';
import { judgePage } from '../server/src/analysis/judge-page';
import type { PageSignal } from '../server/src/analysis/page-signals';
import type { PageAnalysisState } from '../server/src/repos/page-signals-repo';
import { median, positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';

const argv = process.argv.slice(2);
const recording = argv.find((arg) => arg.endsWith('.json')) ?? fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url));
const SESSIONS = positiveIntOption(argv, '--sessions', 400);
const ROUNDS = positiveIntOption(argv, '--rounds', 5);
/** Detectors cost at most this much on top of decoding. */
const TARGET_OVERHEAD = 0.25;

const templates = sliceRecording(loadRecording(recording));
const bodies = buildBodies(templates, SESSIONS * templates.length, 'speed');
const events = SESSIONS * templates.reduce((sum, t) => sum + t.events.length, 0);

/** The page a body belongs to: bodies are whole sessions of the templates, in order. */
const pageKey = (index: number) => `${Math.floor(index / templates.length)}/${templates[index % templates.length]!.pageId}`;
/** What the pass reads from the database for a page it judges; only the URL matters before the page is complete. */
const openPage = (url: string): PageAnalysisState => ({ siteId: 'bench', url, finalSeq: null, completedAt: null, minSeq: null, maxSeq: null, batches: 0, judgedThrough: null, lastActiveAt: null, judgedBatches: null });

/** What every consumer pays: the one decode (the pass's own, with its size cap). */
function decodeOnly(from: number, to: number): number {
  let n = 0;
  for (let index = from; index < to; index++) n += decodeStoredBatch(bodies[index]!).events.length;
  return n;
}

/**
 * The pass without its database: decode, reduce to signals, and judge the batch's page over all its
 * signals so far with the page's URL, as the pass does after each group of batches (here: after every
 * batch, its worst case).
 */
function decodeAndDetect(from: number, to: number): number {
  return pass(true, from, to);
}

/** The same, each page judged once, when complete: the pass under load, when a page's batches come in one claim. */
function decodeAndDetectOnce(from: number, to: number): number {
  return pass(false, from, to);
}

/** Bodies [from, to), whole sessions. */
function pass(afterEveryBatch: boolean, from: number, to: number): number {
  const pages = new Map<string, { url: string; signals: PageSignal[] }>();
  /**
   * Judges every open page (once more) as complete, as when its final batch or the idle timeout
   * comes, and lets it go: the pass keeps a page's signals in the database, not in memory.
   */
  const completeAll = () => {
    for (const [key, page] of pages) judgePage(key, openPage(page.url), page.signals, true);
    pages.clear();
  };
  let n = 0;
  for (let index = from; index < to; index++) {
    // Bodies are whole sessions in order: a new session's first batch ends the one before.
    if (index % templates.length === 0) completeAll();
    const batch = decodeStoredBatch(bodies[index]!);
    n += batch.events.length;
    const key = pageKey(index);
    const page = pages.get(key) ?? { url: batch.url, signals: [] };
    page.signals.push(...extractSignals(batch.events, batch.final));
    pages.set(key, page);
    if (afterEveryBatch) judgePage(key, openPage(page.url), page.signals, false);
  }
  completeAll();
  return n;
}

/**
 * Sessions per slice. Each round runs the three paths slice by slice, side by side (the order turned
 * each slice), so other processes on a shared machine disturb all three alike: timing each path
 * over the whole set in turn let a burst of other work fall on one path only, and runs swung from
 * +12% to +80%.
 */
const SLICE_SESSIONS = 20;

interface Rate {
  /** Events per second of wall time. */
  wall: number;
  /** Events per second of this process's CPU time (user + system): what other load on a shared machine moves least. */
  cpu: number;
}

const format = (rate: Rate) => `${rate.cpu.toFixed(0).padStart(7)} events/CPU-s (${rate.wall.toFixed(0).padStart(7)} wall)`;

console.log(`${recording}: ${bodies.length} gzip batches (${SESSIONS} sessions of ${templates.length}), ${events} events, ${ROUNDS} rounds of slices of ${SLICE_SESSIONS} sessions, the three paths side by side in each slice\n`);
const paths = [
  { name: 'inflate+parse', run: decodeOnly, rates: [] as Rate[] },
  { name: '+signals+detectors, page judged after every batch', run: decodeAndDetect, rates: [] as Rate[] },
  { name: '+signals+detectors, page judged once', run: decodeAndDetectOnce, rates: [] as Rate[] },
];
// Warm-up: JIT every path before measuring.
for (const path of paths) path.run(0, bodies.length);
const slice = SLICE_SESSIONS * templates.length;
for (let round = 0; round < ROUNDS; round++) {
  const cpuMicros = paths.map(() => 0);
  const wallNanos = paths.map(() => 0n);
  const counted = paths.map(() => 0);
  for (let from = 0, k = round; from < bodies.length; from += slice, k++) {
    const to = Math.min(bodies.length, from + slice);
    for (let j = 0; j < paths.length; j++) {
      const p = (j + k) % paths.length;
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      counted[p]! += paths[p]!.run(from, to);
      wallNanos[p]! += process.hrtime.bigint() - started;
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicros[p]! += cpu.user + cpu.system;
    }
  }
  paths.forEach((path, p) => {
    if (counted[p] !== events) throw new Error(`${path.name}: counted ${counted[p]} events, expected ${events}`);
    path.rates.push({ cpu: events / (cpuMicros[p]! / 1e6), wall: events / (Number(wallNanos[p]!) / 1e9) });
  });
  console.log(`round ${round + 1}  ${paths.map((path) => format(path.rates.at(-1)!)).join('  |')}`);
}
// Judged on CPU time, the median round: wall time on a busy machine counts the time other processes held the core.
const middle = (path: (typeof paths)[number]) => median(path.rates.map((rate) => rate.cpu));
const [decode, everyBatch, once] = paths as [(typeof paths)[number], (typeof paths)[number], (typeof paths)[number]];
console.log('\nevents per CPU second (median round)');
for (const path of paths) {
  const extra = path === decode ? '' : `   ${((middle(decode) / middle(path) - 1) * 100).toFixed(1)}% on top of decoding`;
  console.log(`  ${path.name.padEnd(52)} ${middle(path).toFixed(0).padStart(8)}${extra}`);
}
for (const [path, what] of [[everyBatch, 'judged after every batch'], [once, 'judged once per page']] as const) {
  const overhead = middle(decode) / middle(path) - 1;
  console.log(`Detection, ${what}, costs ${(overhead * 100).toFixed(1)}% CPU on top of decoding: ${overhead <= TARGET_OVERHEAD ? 'meets' : 'MISSES'} the ${TARGET_OVERHEAD * 100}% target`);
}
