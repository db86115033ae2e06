import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, gzipJson, makeBatch, postIngest, type TestApp } from './testing/test-app';

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

describe('createApp', () => {
  it('answers /api/health without auth', async () => {
    const res = await t.app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    ['GET', '/api/nope'],
    ['POST', '/api/sessions/x/y/z'],
    ['GET', '/api'],
  ])('answers unknown API path %s %s with a JSON 404', async (method, path) => {
    const res = await t.app.request(path, { method, headers: adminHeaders() });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining(path) } });
  });

  it('turns an unexpected failure into 500 internal, logs it, and reveals nothing', async () => {
    t.db.exec('DROP TABLE chunks');
    const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(t.errors).toHaveLength(1);
    expect(String(t.errors[0])).toMatch(/chunks/);
    // The failed transaction rolled back: no half-stored session.
    expect(t.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });
});
