// Flood bench: one site key flooded from many addresses while another site sends at a steady rate; the steady site's latency with and without the flood.
// Run: npm run bench:flood [-- --seconds 20 --site-rate 100 --steady-rate 50]
import { randomBytes } from 'node:crypto';
import autocannon, { type AutocannonResult } from 'autocannon';
import type { CreatedSite } from '../server/src/api-types';
import { CHECKOUT_RECORDING } from '../test/support/simulated-recorders';
import { startFrictionlens } from '../test/support/start-frictionlens';
import { positiveIntOption } from './bench-args';
import { buildBodies, loadRecording, sliceRecording } from './recording-batches';

const SECONDS = positiveIntOption(process.argv, '--seconds', 20);
/**
 * The per-site limit for this run (INGEST_RATE_PER_SITE). It protects other sites only when it is
 * below what the server can store: on this bench's 2-core machine that is below the 2,000 default.
 */
const SITE_RATE = positiveIntOption(process.argv, '--site-rate', 100);
/** The steady site, within the same per-site limit: about 250 visitors' recorders at one post per 5 s. */
const STEADY_RATE = positiveIntOption(process.argv, '--steady-rate', 50);

const frictionlens = await startFrictionlens({ TRUST_PROXY: 'on', INGEST_RATE_PER_SITE: String(SITE_RATE) });
const createSite = (name: string) => frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name, origins: ['https://shop.example'] }) });
const [steadySite, floodedSite] = [await createSite('Steady'), await createSite('Flooded')];
const templates = sliceRecording(loadRecording(CHECKOUT_RECORDING));
const bodies = buildBodies(templates, STEADY_RATE * SECONDS * 3, randomBytes(4).toString('hex'));
let next = 0;
let address = 0;

/** Each request from another address, so only the per-site limit can hold the flood back. Counts the answers by status. */
async function run(key: string, options: { connections: number; overallRate?: number; body: () => Buffer }): Promise<AutocannonResult & { statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  const instance = autocannon({
    url: frictionlens.origin,
    connections: options.connections,
    duration: SECONDS,
    overallRate: options.overallRate,
    requests: [
      {
        method: 'POST',
        path: `/api/ingest?key=${key}&enc=gzip`,
        setupRequest(request) {
          address++;
          request.headers = { 'content-type': 'text/plain', 'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` };
          request.body = options.body();
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client, status) => void (statuses[status] = (statuses[status] ?? 0) + 1));
  return Object.assign(await instance, { statuses });
}

const steady = () => run(steadySite.key, { connections: 10, overallRate: STEADY_RATE, body: () => bodies[next++ % bodies.length]! });
const describe = (result: AutocannonResult & { statuses: Record<number, number> }) =>
  `${result['2xx']} stored, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, answers ${JSON.stringify(result.statuses)}, ${result.errors} errors`;

console.log(`steady site: ${STEADY_RATE} batches/s for ${SECONDS} s; flooded site limited to ${SITE_RATE} requests/s (burst ${SITE_RATE * 5})\n`);
const alone = await steady();
console.log(`steady site alone:        ${describe(alone)}`);
// The flood sends real batches of its own sessions as fast as 50 connections can, each from a new address.
const flooded = buildBodies(templates, 2000, randomBytes(4).toString('hex'));
let floodNext = 0;
const [beside, flood] = await Promise.all([steady(), run(floodedSite.key, { connections: 50, body: () => flooded[floodNext++ % flooded.length]! })]);
console.log(`steady site beside flood: ${describe(beside)}`);
console.log(`flood:                    ${flood.requests.sent} requests (${(flood.requests.sent / SECONDS).toFixed(0)}/s), answers ${JSON.stringify(flood.statuses)} (429: refused before the body is read)`);
await frictionlens.stop();
