// The app on PostgreSQL (DATABASE_URL): ingest, the replay and session routes, sign-in, sites, goals, funnels, reports and heatmaps over one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../test/support/start-postgres';
import type { Hono } from 'hono';
import { createApp } from './app';
import { findOrCreateDemo, openPostgresBackend, type PostgresBackend } from './db/postgres/open-postgres-backend';
import { UNLIMITED } from './limits/ingest-limits';
import { SHOP_ORIGIN, TEST_ADMIN_TOKEN, adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents } from './testing/test-app';

describe.skipIf(skipWithoutPostgres())('the app on PostgreSQL', () => {
  let server: SharedPostgres;
  let postgres: PostgresBackend;
  let app: Hono;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = await sharedPostgres();
    postgres = await openPostgresBackend(await server.createDatabase(), { limits: UNLIMITED, demoSite: true });
    app = createApp({ postgres: postgres.backend, adminToken: TEST_ADMIN_TOKEN, logError: (_message, error) => errors.push(error) });
  });
  afterAll(async () => {
    await postgres?.close();
    await server?.stop();
  });

  const json = async (path: string, init: RequestInit = {}) => {
    const res = await app.request(path, { ...init, headers: { ...adminHeaders(), 'content-type': 'application/json', ...init.headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('creates a site whose key ingests at once; the session, its batches and its timeline read back from either route', async () => {
    const created = await json('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Shop', origins: [SHOP_ORIGIN] }) });
    expect(created.status).toBe(201);
    const { id: siteId, key } = created.body as { id: string; key: string };

    const first = makeBatch({ sessionId: 'pg-session-1', seq: 0, events: sampleEvents(1_700_000_000_000, 4) });
    const second = makeBatch({ sessionId: 'pg-session-1', seq: 1, events: sampleEvents(1_700_000_001_000, 3).slice(2) });
    for (const batch of [first, second, first]) {
      const res = await postIngest(app, key, gzipJson(batch), { origin: SHOP_ORIGIN });
      expect(res.status).toBe(200);
    }
    const list = await json(`/api/sessions?site=${siteId}`);
    expect(list.body).toMatchObject({ sessions: [{ id: 'pg-session-1', siteId, eventCount: 5, pageCount: 1 }], nextCursor: null });
    const detail = await json('/api/sessions/pg-session-1');
    expect(detail.body).toMatchObject({ id: 'pg-session-1', pages: [{ id: 'page-0001', url: `${SHOP_ORIGIN}/` }] });
    const batches = await json('/api/sessions/pg-session-1/batches');
    expect((batches.body.batches as Array<{ seq: number }>).map((batch) => batch.seq)).toEqual([0, 1]);
    const events = await app.request('/api/sessions/pg-session-1/events', { headers: adminHeaders() });
    expect(((await events.json()) as unknown[]).length).toBe(5);
    const timeline = await json('/api/sessions/pg-session-1/timeline');
    // Not analysed: no analysis process runs beside this app.
    expect(timeline.body).toMatchObject({ pendingBatches: 2 });
    expect((await json('/api/sessions/pg-session-1/watched', { method: 'PUT' })).status).toBe(200);
    expect((await json('/api/sessions/pg-session-1', { method: 'DELETE' })).body).toEqual({ id: 'pg-session-1', deleted: true });
    expect((await json('/api/sessions/pg-session-1')).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it('signs in with a cookie, keeps goals and funnels, and answers their reports and the heatmaps', async () => {
    const signIn = await app.request('/api/auth/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TEST_ADMIN_TOKEN }) });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const sites = await app.request('/api/sites', { headers: { cookie } });
    expect(sites.status).toBe(200);
    const { sites: list } = (await sites.json()) as { sites: Array<{ id: string; name: string }> };
    expect(list.map((site) => site.name)).toContain('demo');

    const siteId = list[0]!.id;
    const goal = await json(`/api/sites/${siteId}/goals`, { method: 'POST', body: JSON.stringify({ name: 'Thanks', kind: 'page', pattern: '/thanks' }) });
    expect(goal.body).toMatchObject({ name: 'Thanks', job: { state: 'pending' } });
    const funnel = await json(`/api/sites/${siteId}/funnels`, { method: 'POST', body: JSON.stringify({ name: 'Buy', steps: [{ kind: 'page', pattern: '/cart' }, { kind: 'page', pattern: '/thanks' }] }) });
    expect(funnel.status).toBe(201);
    expect((await json(`/api/sites/${siteId}/funnels`)).body).toMatchObject({ funnels: [{ name: 'Buy' }] });
    // The reports and heatmaps answer from the aggregates, empty while nothing is analysed.
    expect((await json(`/api/funnels/${(funnel.body as { id: string }).id}/report`)).body).toMatchObject({ sessions: 0, steps: [{ reached: 0 }, { reached: 0 }] });
    const impact = await json(`/api/impact?site=${siteId}&goal=${(goal.body as { id: string }).id}`);
    expect(impact.body).toMatchObject({ overall: { sessions: 0, conversions: 0 }, opportunities: [] });
    expect((await json(`/api/heatmap/pages?site=${siteId}`)).body).toEqual({ pages: [] });
    expect((await json(`/api/heatmap?site=${siteId}&url=${encodeURIComponent(`${SHOP_ORIGIN}/cart`)}`)).body).toMatchObject({ total: 0, cells: [] });
    expect(errors).toEqual([]);
  });
  it('makes one demo site when several nodes look for it at the same time', async () => {
    const url = await server.createDatabase();
    const node = await openPostgresBackend(url, { limits: UNLIMITED, demoSite: false });
    try {
      // Eight connections open first, so the eight look-ups do not wait for connections in turn.
      await Promise.all(Array.from({ length: 8 }, () => node.pool.query('SELECT pg_sleep(0.05)')));
      const found = await Promise.all(Array.from({ length: 8 }, () => findOrCreateDemo(node.pool, true)));
      const { rows } = await node.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sites WHERE name = 'demo'`);
      expect(rows[0]!.n).toBe(1);
      expect(new Set(found.map((site) => site?.key)).size).toBe(1);
    } finally {
      await node.close();
    }
  });
});
