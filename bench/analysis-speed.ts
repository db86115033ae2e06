// Analysis speed bench: inflate + parse alone against the analysis pass's decode, signals and detectors, on the same batches, one core.
// Run: npm run bench:analysis-speed [-- --sessions 400 --rounds 5] [path/to/recording.json]
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { extractSignals } from '../server/src/analysis/extract-signals';
import type { PageSignal } from '../server/src/analysis/page-signals';
import { detectFriction } from '../server/src/detectors/detect-friction';
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

interface Decoded {
  sessionId: string;
  pageId: string;
  final: boolean;
  events: never[];
}
const decode = (body: Buffer) => JSON.parse(gunzipSync(body).toString('utf8')) as Decoded;

/** What every consumer pays: the one decode. */
function decodeOnly(): number {
  let n = 0;
  for (const body of bodies) n += decode(body).events.length;
  return n;
}

/**
 * The pass without its database: decode, reduce to signals, and judge the batch's page over all its
 * signals so far, as the pass does after each group of batches (here: after every batch, its worst case).
 */
function decodeAndDetect(): number {
  const pages = new Map<string, PageSignal[]>();
  let n = 0;
  for (const body of bodies) {
    const batch = decode(body);
    n += batch.events.length;
    const key = `${batch.sessionId}/${batch.pageId}`;
    const signals = pages.get(key) ?? [];
    signals.push(...extractSignals(batch.events, batch.final));
    pages.set(key, signals);
    detectFriction({ signals, complete: false, url: '' });
  }
  // Every page judged once more as complete, as when its final batch or the idle timeout comes.
  for (const signals of pages.values()) detectFriction({ signals, complete: true, url: '' });
  return n;
}

function time(run: () => number): number {
  const started = process.hrtime.bigint();
  const n = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (n !== events) throw new Error(`counted ${n} events, expected ${events}`);
  return events / seconds;
}

console.log(`${recording}: ${bodies.length} gzip batches (${SESSIONS} sessions of ${templates.length}), ${events} events, ${ROUNDS} alternating rounds\n`);
// Warm-up: JIT both paths before measuring.
decodeOnly();
decodeAndDetect();
const decodeRates: number[] = [];
const passRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [rates, run] of round % 2 ? ([[passRates, decodeAndDetect], [decodeRates, decodeOnly]] as const) : ([[decodeRates, decodeOnly], [passRates, decodeAndDetect]] as const)) {
    rates.push(time(run));
  }
  console.log(`round ${round + 1}  inflate+parse ${decodeRates.at(-1)!.toFixed(0).padStart(8)} events/s   +signals+detectors ${passRates.at(-1)!.toFixed(0).padStart(8)} events/s`);
}
const decodeRate = median(decodeRates);
const passRate = median(passRates);
const overhead = decodeRate / passRate - 1;
console.log(`\nMedian: inflate+parse ${decodeRate.toFixed(0)} events/s; with signals and all detectors ${passRate.toFixed(0)} events/s`);
console.log(`Detection costs ${(overhead * 100).toFixed(1)}% on top of decoding: ${overhead <= TARGET_OVERHEAD ? 'meets' : 'MISSES'} the ${TARGET_OVERHEAD * 100}% target`);
