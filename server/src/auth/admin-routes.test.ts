import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppOnBothBackends, storedCounts, type BackendTestApp } from '../testing/backend-test-app';
import { apiRoutes } from '../testing/fuzz-requests';
import { adminHeaders, gzipJson, makeBatch, postIngest } from '../testing/test-app';
import { SESSION_COOKIE_NAME } from './session-cookie';

let t: BackendTestApp;

/** Routes anyone may call: ingest takes the site key, health nothing, sign-in the token itself. */
const PUBLIC = ['/api/ingest', '/api/health', '/api/auth/session'];

describeAppOnBothBackends(
  'the admin API',
  (backend) => {
    beforeAll(async () => {
      t = backend();
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch()))).status).toBe(200);
    });

    describe('the admin API refuses anything but the admin', () => {
      it('answers 401 on every admin route, whatever the method, to no credential, a site key as Bearer or as the session cookie, or a made-up session', async () => {
        const routes = apiRoutes(t.app).filter((route) => !PUBLIC.includes(route.path));
        // Lists, reads, creates and deletes: sites, sessions, users, friction, heatmaps, goals, funnels, impact, forms.
        expect(routes.length).toBeGreaterThanOrEqual(30);
        expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /api/sites', 'DELETE /api/sessions/:id', 'DELETE /api/sites/:id/users/:userId', 'GET /api/sessions/:id/events']));
        const before = await storedCounts(t);
        const credentials: Array<[string, Record<string, string>]> = [
          ['nothing', {}],
          ['the site key as Bearer', { authorization: `Bearer ${t.site.key}` }],
          ['the site key as the cookie', { cookie: `${SESSION_COOKIE_NAME}=${t.site.key}` }],
          ['a made-up session id', { cookie: `${SESSION_COOKIE_NAME}=${'A'.repeat(43)}` }],
          ['the site key in the query', {}],
        ];
        const refused: string[] = [];
        for (const route of routes) {
          const path = route.path.replace(':id', route.path.startsWith('/api/sessions') ? 'session-0001' : t.site.id).replace(':userId', 'user-1');
          for (const [label, headers] of credentials) {
            const url = label.includes('query') ? `${path}?site=${t.site.id}&key=${t.site.key}` : `${path}?site=${t.site.id}`;
            const body = route.method === 'GET' ? undefined : JSON.stringify({ name: 'x', origins: ['self'], urlPatterns: [], retentionDays: 1 });
            const res = await t.app.request(url, { method: route.method, headers: { host: 'fl.example', origin: 'http://fl.example', 'content-type': 'application/json', ...headers }, body });
            if (res.status !== 401) refused.push(`${route.method} ${path} with ${label}: ${res.status}`);
          }
        }
        expect(refused).toEqual([]);
        expect(await storedCounts(t)).toEqual(before);
        expect(await t.repos.sites.list()).toHaveLength(1);
      });

      it('lets the admin token through on the same routes (the test above is not refusing everyone)', async () => {
        const res = await t.app.request(`/api/sessions?site=${t.site.id}`, { headers: adminHeaders() });
        expect(res.status).toBe(200);
      });
    });
  },
  () => ({}),
  'file',
);
