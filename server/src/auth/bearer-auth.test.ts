import { beforeAll, expect, it } from 'vitest';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { TEST_ADMIN_TOKEN } from '../testing/test-app';

let t: BackendTestApp;

const QUERY_PATHS = ['/api/sites', '/api/sessions?site=x', '/api/sessions/session-0001', '/api/sessions/session-0001/events'];

// One app per backend for the file: no test here changes what the next one reads.
describeAppOnBothBackends(
  'admin Bearer auth on the query API',
  (backend) => {
    beforeAll(() => {
      t = backend();
    });

    it.each(QUERY_PATHS)('refuses %s without a token, with WWW-Authenticate', async (path) => {
      const res = await t.app.request(path);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    });

    it.each([
      ['a site key', () => `Bearer ${t.site.key}`],
      ['a wrong token of the same length', () => `Bearer ${'x'.repeat(TEST_ADMIN_TOKEN.length)}`],
      ['a token prefix', () => `Bearer ${TEST_ADMIN_TOKEN.slice(0, 10)}`],
      ['Basic credentials', () => `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}`],
    ])('refuses %s', async (_label, header) => {
      const res = await t.app.request('/api/sites', { headers: { authorization: header() } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    });

    it('refuses creating a site without the token', async () => {
      const res = await t.app.request('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'x', origins: ['self'] }) });
      expect(res.status).toBe(401);
      expect(await t.repos.sites.list()).toHaveLength(1);
    });

    it('accepts the admin token, whatever the scheme’s case', async () => {
      for (const scheme of ['Bearer', 'bearer']) {
        const res = await t.app.request('/api/sites', { headers: { authorization: `${scheme} ${TEST_ADMIN_TOKEN}` } });
        expect(res.status).toBe(200);
      }
    });
  },
  () => ({}),
  'file',
);
