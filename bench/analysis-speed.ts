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
const openPage = (url: string): PageAnalysisState => ({ siteId: 'bench', url, finalSeq: null, completedAt: null, minSeq: null, maxSeq: null, batches: 0 });

/** What every consumer pays: the one decode (the pass's own, with its size cap). */
function decodeOnly(): number {
  let n = 0;
  for (const body of bodies) n += decodeStoredBatch(body).events.length;
  return n;
}

/**
 * The pass without its database: decode, reduce to signals, and judge the batch's page over all its
 * signals so far with the page's URL, as the pass does after each group of batches (here: after every
 * batch, its worst case).
 */
function decodeAndDetect(): number {
  const pages = new Map<string, { url: string; signals: PageSignal[] }>();
  let n = 0;
  bodies.forEach((body, index) => {
    const batch = decodeStoredBatch(body);
    n += batch.events.length;
    const key = pageKey(index);
    const page = pages.get(key) ?? { url: batch.url, signals: [] };
    page.signals.push(...extractSignals(batch.events, batch.final));
    pages.set(key, page);
    judgePage(key, openPage(page.url), page.signals, false);
  });
  // Every page judged once more as complete, as when its final batch or the idle timeout comes.
  for (const [key, page] of pages) judgePage(key, openPage(page.url), page.signals, true);
  return n;
}

interface Rate {
  /** Events per second of wall time. */
  wall: number;
  /** Events per second of this process's CPU time (user + system): what other load on a shared machine moves least. */
  cpu: number;
}

function time(run: () => number): Rate {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const n = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  if (n !== events) throw new Error(`counted ${n} events, expected ${events}`);
  return { wall: events / seconds, cpu: events / ((cpu.user + cpu.system) / 1e6) };
}

const format = (rate: Rate) => `${rate.cpu.toFixed(0).padStart(8)} events/CPU-s (${rate.wall.toFixed(0).padStart(8)} wall)`;

console.log(`${recording}: ${bodies.length} gzip batches (${SESSIONS} sessions of ${templates.length}), ${events} events, ${ROUNDS} alternating rounds\n`);
// Warm-up: JIT both paths before measuring.
decodeOnly();
decodeAndDetect();
const decodeRates: Rate[] = [];
const passRates: Rate[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [rates, run] of round % 2 ? ([[passRates, decodeAndDetect], [decodeRates, decodeOnly]] as const) : ([[decodeRates, decodeOnly], [passRates, decodeAndDetect]] as const)) {
    rates.push(time(run));
  }
  console.log(`round ${round + 1}  inflate+parse ${format(decodeRates.at(-1)!)}   +signals+detectors ${format(passRates.at(-1)!)}`);
}
const decodeCpu = median(decodeRates.map((rate) => rate.cpu));
const passCpu = median(passRates.map((rate) => rate.cpu));
const decodeWall = median(decodeRates.map((rate) => rate.wall));
const passWall = median(passRates.map((rate) => rate.wall));
// Judged on CPU time: wall time on a busy machine counts the time other processes held the core.
const overhead = decodeCpu / passCpu - 1;
console.log(`\nMedian per CPU second: inflate+parse ${decodeCpu.toFixed(0)} events/s; with signals and all detectors ${passCpu.toFixed(0)} events/s`);
console.log(`Median per wall second: inflate+parse ${decodeWall.toFixed(0)} events/s; with signals and all detectors ${passWall.toFixed(0)} events/s (${((decodeWall / passWall - 1) * 100).toFixed(1)}% on top)`);
console.log(`Detection costs ${(overhead * 100).toFixed(1)}% CPU on top of decoding: ${overhead <= TARGET_OVERHEAD ? 'meets' : 'MISSES'} the ${TARGET_OVERHEAD * 100}% target`);
