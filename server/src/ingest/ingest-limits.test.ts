// Rate limits per client address and per site, and the hourly cap on a site's new sessions, through the real app.
import type { Hono } from 'hono';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryIngestLimits, type IngestLimits, type IngestLimitsConfig } from '../limits/ingest-limits';
import { HOUR_MS } from '../limits/session-admissions';
import { describeAppOnBothBackends, storedCounts, type BackendTestApp } from '../testing/backend-test-app';
import { SHOP_ORIGIN, gzipJson, makeBatch } from '../testing/test-app';

let t: BackendTestApp;

/** The limits of the running test, with time standing still unless the test moves it. */
let limits: IngestLimits & { now: number };
/**
 * What each backend's app is made with. PostgreSQL's batch writer asks the limits it was opened
 * with to admit a new session, so the app's limits forward to the running test's. Counted in
 * memory on both backends: the counts PostgreSQL nodes share are tested in shared-ingest-limits.test.ts.
 */
const testLimits: IngestLimits = {
  takeAddress: (address) => limits.takeAddress(address, limits.now),
  takeSite: (siteId) => limits.takeSite(siteId, limits.now),
  admitSession: (siteId, sessionId) => limits.admitSession(siteId, sessionId, limits.now),
};

/** Sets the running test's limits. */
function frozenLimits(config: IngestLimitsConfig): IngestLimits & { now: number } {
  const memory = createMemoryIngestLimits(config);
  limits = { now: 1000 * HOUR_MS, takeAddress: memory.takeAddress, takeSite: memory.takeSite, admitSession: memory.admitSession };
  return limits;
}

/** The app of the test's backend, with the test's limits; the client address from X-Forwarded-For when the proxy is trusted. */
function appWith(trustProxy = false): Hono {
  return t.appWith({ limits: testLimits, trustProxy, logError: (_m, err) => t.errors.push(err) });
}

let seq = 0;
/** A recorder's post from `address` (the socket's peer, as @hono/node-server passes it). */
function post(app: Hono, key: string, address: string, body: BodyInit = gzipJson(makeBatch({ seq: seq++ })), headers: Record<string, string> = {}) {
  return app.request(
    `/api/ingest?key=${key}&enc=gzip`,
    { method: 'POST', body, headers: { 'content-type': 'text/plain', origin: SHOP_ORIGIN, host: 'fl.example', ...headers } },
    { incoming: { socket: { remoteAddress: address } } },
  );
}

async function refusal(res: Response): Promise<{ status: number; code: string; retryAfter: string | null }> {
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? 'none', retryAfter: res.headers.get('retry-after') };
}

// One database per backend for the file, emptied of recordings before each test; each test makes its app.
describeAppOnBothBackends(
  'ingest limits',
  (backend) => {
    beforeAll(() => {
      t = backend();
    });
    beforeEach(async () => {
      for (const table of ['analysis_queue', 'chunks', 'pages', 'sessions']) await t.exec(`DELETE FROM ${table}`);
    });
    afterEach(() => {
      expect(t.errors).toEqual([]);
    });

    describe('ingest rate limits', () => {
      it('refuse a client address past its rate with 429 and Retry-After, before reading the body', async () => {
        const limits = frozenLimits({ addressPerSecond: 1, sitePerSecond: 1000, sessionsPerSiteHour: 1000 });
        const app = appWith();
        // A burst of five seconds' worth passes.
        for (let i = 0; i < 5; i++) expect((await post(app, t.site.key, '198.51.100.7')).status).toBe(200);
        // Garbage is refused as a flood, not as garbage: the body was never read.
        expect(await refusal(await post(app, t.site.key, '198.51.100.7', 'not gzip'))).toEqual({ status: 429, code: 'rate_limited', retryAfter: '1' });
        expect((await post(app, t.site.key, '198.51.100.8')).status).toBe(200);
        limits.now += 1000;
        expect((await post(app, t.site.key, '198.51.100.7')).status).toBe(200);
        expect((await storedCounts(t)).chunks).toBe(7);
      });

      it('keep a flood of one site key from refusing another site', async () => {
        frozenLimits({ addressPerSecond: 1000, sitePerSecond: 2, sessionsPerSiteHour: 1000 });
        const app = appWith();
        const other = await t.repos.sites.create({ name: 'Other', origins: [SHOP_ORIGIN] }, Date.now());
        const outcomes = { flood: [] as number[], other: [] as number[] };
        for (let i = 0; i < 40; i++) {
          // The flood comes from many addresses, so only the per-site limit can stop it.
          outcomes.flood.push((await post(app, t.site.key, `203.0.113.${i}`, 'x')).status);
          if (i % 4 === 0) outcomes.other.push((await post(app, other.key, '192.0.2.1', gzipJson(makeBatch({ sessionId: 'other-session', seq: i })))).status);
        }
        // The flood's bodies are not batches: the first 10 (the burst) get a 400, the rest 429 unread.
        expect(outcomes.flood.filter((status) => status === 400)).toHaveLength(10);
        expect(outcomes.flood.filter((status) => status === 429)).toHaveLength(30);
        expect(outcomes.other).toEqual(Array(10).fill(200));
      });

      it('take the address from X-Forwarded-For only when the proxy is trusted', async () => {
        frozenLimits({ addressPerSecond: 1, sitePerSecond: 1000, sessionsPerSiteHour: 1000 });
        const app = appWith(true);
        // Everyone reaches the server from the proxy's address; each visitor has its own limit.
        for (let i = 0; i < 5; i++) expect((await post(app, t.site.key, '127.0.0.1', undefined, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
        expect((await post(app, t.site.key, '127.0.0.1', undefined, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
        expect((await post(app, t.site.key, '127.0.0.1', undefined, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
      });
    });

    describe('the hourly cap on new sessions per site', () => {
      it('refuses a session past the cap with 429 until the next hour, while admitted sessions go on', async () => {
        const limits = frozenLimits({ addressPerSecond: 1000, sitePerSecond: 1000, sessionsPerSiteHour: 2 });
        const app = appWith();
        const other = await t.repos.sites.create({ name: 'Other', origins: [SHOP_ORIGIN] }, Date.now());
        const batch = (sessionId: string, n: number) => gzipJson(makeBatch({ sessionId, seq: n }));
        expect((await post(app, t.site.key, '192.0.2.1', batch('session-a01', 0))).status).toBe(200);
        expect((await post(app, t.site.key, '192.0.2.1', batch('session-a02', 0))).status).toBe(200);
        limits.now += 15 * 60_000;
        expect(await refusal(await post(app, t.site.key, '192.0.2.1', batch('session-a03', 0)))).toEqual({
          status: 429,
          code: 'site_session_limit',
          retryAfter: String(45 * 60),
        });
        expect((await post(app, t.site.key, '192.0.2.1', batch('session-a01', 1))).status).toBe(200);
        expect((await post(app, other.key, '192.0.2.1', batch('session-b01', 0))).status).toBe(200);
        expect(await t.repos.sessions.get('session-a03')).toBeUndefined();
        limits.now += 45 * 60_000;
        expect((await post(app, t.site.key, '192.0.2.1', batch('session-a03', 0))).status).toBe(200);
      });
    });
  },
  () => ({ limits: testLimits }),
  'file',
);
