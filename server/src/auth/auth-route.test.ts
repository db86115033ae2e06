import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthSession } from '../api-types';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, TEST_ADMIN_TOKEN } from '../testing/test-app';
import { ADMIN_SESSION_IDLE_MS } from './admin-sessions';
import { SESSION_COOKIE_NAME } from './session-cookie';

let t: BackendTestApp;

const VIEWER = 'http://fl.example';
const json = { 'content-type': 'application/json' };

/** Signs in as the viewer does (its own origin) and returns the Set-Cookie line and the cookie to send back. */
async function signIn(app = t.app, url = `${VIEWER}/api/auth/session`, headers: Record<string, string> = { origin: VIEWER }): Promise<{ res: Response; setCookie: string; cookie: string }> {
  const res = await app.request(url, { method: 'POST', headers: { host: 'fl.example', ...json, ...headers }, body: JSON.stringify({ token: TEST_ADMIN_TOKEN }) });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0]! };
}

const withCookie = (cookie: string, method = 'GET', headers: Record<string, string> = {}, body?: unknown): RequestInit => ({
  method,
  headers: { host: 'fl.example', cookie, ...(body === undefined ? {} : json), ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});

describeAppOnBothBackends('auth route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('viewer sign-in sessions', () => {
    it('exchanges the admin token for an HttpOnly, SameSite=Strict cookie for the API, Secure only over HTTPS', async () => {
      const { res, setCookie } = await signIn();
      expect(res.status).toBe(201);
      expect(((await res.json()) as AuthSession)).toMatchObject({ signedIn: true, via: 'cookie' });
      expect(res.headers.get('cache-control')).toBe('no-store');
      const [pair, ...flags] = setCookie.split('; ');
      expect(pair).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=[A-Za-z0-9_-]{43}$`));
      expect(flags).toEqual([`Max-Age=${ADMIN_SESSION_IDLE_MS / 1000}`, 'Path=/api', 'HttpOnly', 'SameSite=Strict']);

      const https = await signIn(t.app, 'https://fl.example/api/auth/session', { origin: 'https://fl.example' });
      expect(https.setCookie.split('; ')).toContain('Secure');
    });

    it('marks the cookie Secure behind a TLS proxy only when TRUST_PROXY says its X-Forwarded-Proto counts', async () => {
      const proxied = { origin: 'https://fl.example', 'x-forwarded-proto': 'https' };
      expect((await signIn(t.app, undefined, proxied)).setCookie).not.toContain('Secure');
      const trusting = t.appWith({ trustProxy: true });
      expect((await signIn(trusting, undefined, proxied)).setCookie.split('; ')).toContain('Secure');
    });

    it('refuses a wrong token, a site key and an empty body, setting no cookie', async () => {
      for (const token of ['wrong-token-0123456789abcdef', t.site.key, TEST_ADMIN_TOKEN.slice(1), '']) {
        const res = await t.app.request('/api/auth/session', { method: 'POST', headers: { host: 'fl.example', origin: VIEWER, ...json }, body: JSON.stringify({ token }) });
        expect(res.status, token).toBe(token === '' ? 400 : 401);
        expect(res.headers.get('set-cookie')).toBeNull();
      }
      expect(await t.rows('SELECT id_hash FROM admin_sessions')).toEqual([]);
    });

    it('refuses a sign-in posted by another site’s page', async () => {
      const res = await t.app.request('/api/auth/session', { method: 'POST', headers: { host: 'fl.example', origin: 'https://evil.example', ...json }, body: JSON.stringify({ token: TEST_ADMIN_TOKEN }) });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    });

    it('lets the cookie read the API, and says who is signed in', async () => {
      const { cookie } = await signIn();
      expect((await t.app.request('/api/sites', withCookie(cookie))).status).toBe(200);
      const who = await t.app.request('/api/auth/session', withCookie(cookie));
      expect(who.status).toBe(200);
      expect(((await who.json()) as AuthSession).via).toBe('cookie');
      const script = await t.app.request('/api/auth/session', { headers: adminHeaders() });
      expect(await script.json()).toEqual({ signedIn: true, via: 'bearer', expiresAt: null });
      expect((await t.app.request('/api/auth/session')).status).toBe(401);
    });

    it('changes data with the cookie only from a page of this server (Origin, Sec-Fetch-Site); the Bearer token needs no Origin', async () => {
      const { cookie } = await signIn();
      const site = { name: 'Blog', origins: ['https://blog.example'] };
      const attempts: Array<[string, Record<string, string>, number]> = [
        ['no Origin', {}, 403],
        ['another site', { origin: 'https://evil.example' }, 403],
        ['a sibling subdomain (same site)', { origin: 'http://evil.fl.example', 'sec-fetch-site': 'same-site' }, 403],
        ['an opaque origin', { origin: 'null' }, 403],
        ['Sec-Fetch-Site cross-site', { origin: VIEWER, 'sec-fetch-site': 'cross-site' }, 403],
        ['the viewer', { origin: VIEWER }, 201],
        ['the viewer, port spelt out', { origin: 'http://fl.example:80' }, 201],
        ['the viewer behind a proxy that rewrote Host', { origin: 'https://viewer.example', 'sec-fetch-site': 'same-origin' }, 201],
      ];
      for (const [label, headers, status] of attempts) {
        const res = await t.app.request('/api/sites', withCookie(cookie, 'POST', headers, site));
        expect(res.status, label).toBe(status);
        if (status === 403) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
      }
      // An http: page may not act on the server it reached over https.
      const downgrade = await t.app.request('https://fl.example/api/sites', withCookie(cookie, 'POST', { origin: 'http://fl.example' }, site));
      expect(downgrade.status).toBe(403);
      const script = await t.app.request('/api/sites', { method: 'POST', headers: { ...adminHeaders(), ...json }, body: JSON.stringify(site) });
      expect(script.status).toBe(201);
      expect((await t.repos.sites.list()).filter((s) => s.name === 'Blog')).toHaveLength(4);
    });

    it('signs out on the server: the cookie is cleared and a copy of it no longer works', async () => {
      const { cookie } = await signIn();
      const out = await t.app.request('/api/auth/session', withCookie(cookie, 'DELETE', { origin: VIEWER }));
      expect(out.status).toBe(200);
      expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE_NAME}=; Max-Age=0; Path=/api; HttpOnly; SameSite=Strict`));
      expect(await t.rows('SELECT id_hash FROM admin_sessions')).toEqual([]);
      const copy = await t.app.request('/api/sites', withCookie(cookie));
      expect(copy.status).toBe(401);
      expect(copy.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    });

    it('does not sign out on another site’s request', async () => {
      const { cookie } = await signIn();
      const out = await t.app.request('/api/auth/session', withCookie(cookie, 'DELETE', { origin: 'https://evil.example' }));
      expect(out.status).toBe(403);
      expect((await t.app.request('/api/sites', withCookie(cookie))).status).toBe(200);
    });

    it('ends every session when the server starts with another admin token', async () => {
      const { cookie } = await signIn();
      const rotated = t.appWith({ adminToken: 'another-admin-token-0123456789' });
      expect((await rotated.request('/api/sites', withCookie(cookie))).status).toBe(401);
    });

    it('lets a valid cookie through only when no Authorization header says otherwise', async () => {
      const { cookie } = await signIn();
      const res = await t.app.request('/api/sites', withCookie(cookie, 'GET', { authorization: 'Bearer wrong-token-0123456789' }));
      expect(res.status).toBe(401);
    });
  });
});
