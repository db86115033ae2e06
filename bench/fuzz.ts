// Fuzz bench: the seeded hostile requests of server/src/fuzz.test.ts, many more of them, with the answers counted and memory followed.
// Run: npm run bench:fuzz [-- --cases 100000 --seed 1]
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { seededRandom } from '../test/support/seeded-random';
import { adminRequest, apiRoutes, ingestRequest, send, type FuzzTargets } from '../server/src/testing/fuzz-requests';
import { adminHeaders, createTestApp, gzipJson, makeBatch, postIngest, TEST_ADMIN_TOKEN } from '../server/src/testing/test-app';
import { positiveIntOption } from './bench-args';

const CASES = positiveIntOption(process.argv, '--cases', 100_000);
const SEED = positiveIntOption(process.argv, '--seed', 1);
const REPORT_EVERY = Math.max(1, Math.floor(CASES / 10));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const t = createTestApp();
const sessionId = 'fuzz-target-session';
await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId })));
async function create(path: string, body: unknown): Promise<string> {
  const res = await t.app.request(path, { method: 'POST', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return ((await res.json()) as { id: string }).id;
}
// A viewer's sign-in, so that cookie requests reach past authentication too.
const signIn = await t.app.request('/api/auth/session', { method: 'POST', headers: { host: 'fl.example', origin: 'http://fl.example', 'content-type': 'application/json' }, body: JSON.stringify({ token: TEST_ADMIN_TOKEN }) });
const targets: FuzzTargets = {
  cookie: signIn.headers.get('set-cookie')?.split(';')[0],
  siteKey: t.site.key,
  siteId: t.site.id,
  sessionId,
  goalId: await create(`/api/sites/${t.site.id}/goals`, { name: 'Order', kind: 'page', pattern: '/thanks*' }),
  funnelId: await create(`/api/sites/${t.site.id}/funnels`, { name: 'Buy', steps: [{ kind: 'page', pattern: '/cart*' }, { kind: 'event', event: 'purchase' }] }),
};
const routes = apiRoutes(t.app);
console.log(`fuzzing ${routes.length} API routes (ingest and every admin route), ${CASES} requests, seed ${SEED}`);

const random = seededRandom(SEED);
const statuses = new Map<number, number>();
const failures: string[] = [];
gc();
const heapStart = process.memoryUsage().heapUsed;
const started = performance.now();
for (let i = 1; i <= CASES; i++) {
  const request = random() < 0.5 ? ingestRequest(random, targets, i) : adminRequest(random, targets, routes);
  const res = await send(t.app, request);
  const text = await res.text();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500 && failures.length < 20) failures.push(`${res.status} ${request.method} ${request.url.slice(0, 120)}: ${text.slice(0, 120)}`);
  if (i % REPORT_EVERY === 0) {
    gc();
    const { heapUsed, rss } = process.memoryUsage();
    console.log(`${String(i).padStart(7)} requests  heap ${mb(heapUsed)}  rss ${mb(rss)}`);
  }
}
const seconds = (performance.now() - started) / 1000;
gc();
const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
console.log(`\n${CASES} requests in ${seconds.toFixed(0)} s (${(CASES / seconds).toFixed(0)}/s); answers ${byStatus}`);
console.log(`5xx: ${[...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0)}; errors logged: ${t.errors.length}; heap after a full GC ${mb(process.memoryUsage().heapUsed)} (${mb(heapStart)} before)`);
console.log(`database integrity: ${t.db.pragma('integrity_check', { simple: true })}`);
for (const failure of failures) console.log(`  ${failure}`);
t.close();
process.exit(failures.length > 0 || t.errors.length > 0 ? 1 : 0);
