import { beforeEach, describe, expect, it } from 'vitest';
import type { CreatedSite, SiteList } from '../api-types';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest } from '../testing/test-app';

let t: BackendTestApp;

function postSite(body: unknown): Promise<Response> {
  const init = { method: 'POST', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) };
  return Promise.resolve(t.app.request('/api/sites', init));
}

describeAppOnBothBackends('sites route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('POST /api/sites', () => {
    it('creates a site with normalized origins whose key can ingest at once', async () => {
      const res = await postSite({ name: ' Store ', origins: ['https://Store.Example:443', 'self', 'http://localhost:3000/'] });
      expect(res.status).toBe(201);
      const created = (await res.json()) as CreatedSite;
      expect(created.key).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{12}$/);

      const list = (await (await t.app.request('/api/sites', { headers: adminHeaders() })).json()) as SiteList;
      const site = list.sites.find((s) => s.id === created.id);
      expect(site).toMatchObject({ name: 'Store', key: created.key, origins: ['https://store.example', 'self', 'http://localhost:3000'] });
      expect(site?.createdAt).toEqual(expect.any(Number));

      const ingest = await postIngest(t.app, created.key, gzipJson(makeBatch()), { origin: 'https://store.example' });
      expect(ingest.status).toBe(200);
    });

    it.each([
      ['an empty name', { name: '', origins: ['self'] }, /name/],
      ['a name over 100 characters', { name: 'x'.repeat(101), origins: ['self'] }, /name/],
      ['no origins', { name: 'Shop', origins: [] }, /origins/],
      ['an origin with a path', { name: 'Shop', origins: ['https://shop.example/cart'] }, /origins\.0/],
      ['an origin with a query', { name: 'Shop', origins: ['https://shop.example?x=1'] }, /origins\.0/],
      ['a bare question mark', { name: 'Shop', origins: ['https://shop.example/?'] }, /origins\.0/],
      ['a non-http origin', { name: 'Shop', origins: ['ftp://shop.example'] }, /origins\.0/],
      ['a string that is no URL', { name: 'Shop', origins: ['self', 'shop'] }, /origins\.1/],
      ['a missing name', { origins: ['self'] }, /name/],
    ])('refuses %s with 400 invalid_request', async (_label, body, path) => {
      const before = (await t.repos.sites.list()).length;
      const res = await postSite(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe('invalid_request');
      expect(json.error.message).toMatch(path);
      expect(await t.repos.sites.list()).toHaveLength(before);
    });

    it('refuses a body that is not JSON with 400 invalid_json', async () => {
      const res = await postSite('{name:');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    });
  });
});
