// Analysis lag at a steady ingest rate: how long from a batch stored to its friction queryable, and the queue depth over time.
// Run: npm run bench:analysis-lag [-- --rate 500 --seconds 60]
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';
import { startServerChild } from './server-child';

const argv = process.argv.slice(2);
/** Batches per second: a recorder sends about 12 a minute, so 500/s is some 2,500 visitors recording at once. */
const RATE = positiveIntOption(argv, '--rate', 500);
const SECONDS = positiveIntOption(argv, '--seconds', 60);
const CONNECTIONS = 10;

const templates = sliceRecording(loadRecording(fileURLToPath(new URL('../test/fixtures/recordings/checkout-visit.json', import.meta.url))));
const bodies = buildBodies(templates, RATE * SECONDS + 1000, randomBytes(4).toString('hex'));
const server = await startServerChild('frictionlens', './app-server.ts');
let next = 0;
console.log(`Sending ${RATE} batches/s for ${SECONDS} s to the real app with its analysis process…`);
const result = await autocannon({
  url: `http://127.0.0.1:${server.port}`,
  connections: CONNECTIONS,
  overallRate: RATE,
  duration: SECONDS,
  requests: [
    {
      method: 'POST',
      path: `/api/ingest?key=${encodeURIComponent(server.key)}&enc=gzip`,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      setupRequest(request) {
        request.body = bodies[next++ % bodies.length];
        return request;
      },
    },
  ],
});
const report = await server.stop();
const depths = report.depths as Array<[number, number]>;
// On a busy machine the server may not take the rate asked for: the lag is for the rate it took.
console.log(`${result['2xx']} batches stored (${(result['2xx'] / SECONDS).toFixed(0)}/s of ${RATE}/s asked; ${result.non2xx} refused, ${result.errors} errors), ingest p99 ${result.latency.p99} ms`);
console.log(`Lag from stored to friction queryable: p50 ${report.lagP50Ms} ms, p99 ${report.lagP99Ms} ms over ${report.analysed} batches`);
const peak = depths.reduce((max, [, depth]) => Math.max(max, depth), 0);
const loadEnd = depths.filter(([s]) => s <= SECONDS + 2).at(-1)?.[1] ?? 0;
console.log(`Queue depth: peak ${peak}, ${loadEnd} as the load ended; over time (s: depth): ${depths.map(([s, d]) => `${s}: ${d}`).join(', ')}`);
console.log(`Queue drained ${report.drainedAfterLoadMs === null ? 'NOT within the limit' : `${report.drainedAfterLoadMs} ms`} after the load ended`);
