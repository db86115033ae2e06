// Page-leave compression bench: the recorder's synchronous gzip (gzip-now.ts) against zlib, on a real recording and on re-render mutations.
// Run: npx tsx bench/recorder-gzip-now.ts   (Node's V8, which is Chromium's engine; minimum of 30 runs after warm-up)
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gzipNow } from '../recorder/src/gzip-now';

const RUNS = 30;

/** A checkout's order summary of 20 rows re-rendered on 40 keystrokes, as rrweb records it: about 180 KB of JSON. */
function rerenderMutations(): string {
  const events = Array.from({ length: 40 }, (_, k) => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ parentId: 40, nextId: null, node: { type: 2, tagName: 'li', attributes: {}, childNodes: [], id: 1000 + k * 40 + i } }));
    const texts = Array.from({ length: 20 }, (_, i) => ({
      parentId: 1000 + k * 40 + i,
      nextId: null,
      node: { type: 3, textContent: `Merino sock, size ${36 + (i % 10)} × ${1 + (i % 3)}: €${(4 + ((i * 7.31 + k * 0.17) % 40)).toFixed(2)}`, id: 2000 + k * 40 + i },
    }));
    return JSON.stringify({ type: 3, data: { source: 0, adds: [...rows, ...texts], removes: [], texts: [], attributes: [] }, timestamp: 1_700_000_000_000 + k * 100 });
  });
  return `[${events.join(',')}]`;
}

function fastest(run: () => unknown): number {
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const inputs: Array<[string, string]> = [
  ['recorded checkout visit (test/fixtures/recordings)', readFileSync(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url), 'utf8')],
  ['20-row summary re-rendered on 40 keystrokes', rerenderMutations()],
];

console.log('| input | JSON B | gzipNow B | zlib -6 B | size vs zlib | gzipNow ms | zlib ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, text] of inputs) {
  const ours = gzipNow(text);
  if (gunzipSync(ours).toString() !== text) throw new Error(`${name}: does not inflate back`);
  const zlib = gzipSync(text);
  const cells = [Buffer.byteLength(text), ours.length, zlib.length, (ours.length / zlib.length).toFixed(2)];
  const times = [fastest(() => gzipNow(text)), fastest(() => gzipSync(text))].map((ms) => ms.toFixed(2));
  console.log(`| ${name} | ${[...cells, ...times].join(' | ')} |`);
}
