import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest } from '../testing/test-app';

let t: BackendTestApp;
let dist: string;
// Before the apps of both backends are made (their hooks are nested below).
beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'fl-headers-'));
  for (const dir of ['viewer/assets', 'recorder', 'demo']) mkdirSync(join(dist, dir), { recursive: true });
  writeFileSync(join(dist, 'viewer/index.html'), '<!doctype html><title>frictionlens</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dist, 'viewer/assets/index-abc123.js'), 'console.log("viewer")');
  writeFileSync(join(dist, 'viewer/assets/index-abc123.css'), 'body{}');
  writeFileSync(join(dist, 'recorder/recorder.js'), '/* recorder */');
  writeFileSync(join(dist, 'demo/index.html'), '<!doctype html><title>Demo shop</title>');
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** The CSP's directives by name. */
function directives(csp: string | null): Map<string, string[]> {
  expect(csp).toBeTruthy();
  return new Map(csp!.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name!, values]));
}

// One app per backend for the file: the tests only read.
describeAppOnBothBackends(
  'security headers',
  (backend) => {
    beforeAll(() => {
      t = backend();
    });

    describe('viewer pages', () => {
      it('carry a CSP that runs only the viewer’s own scripts, no framing, no Referer, nosniff', async () => {
        for (const path of ['/', '/index.html', '/assets/index-abc123.js', '/assets/index-abc123.css']) {
          const res = await t.app.request(path);
          expect(res.status, path).toBe(200);
          const csp = directives(res.headers.get('content-security-policy'));
          expect(csp.get('script-src'), path).toEqual(["'self'"]);
          // No inline script or eval anywhere the policy could fall back to.
          for (const [name, values] of csp) {
            if (name === 'script-src' || name === 'default-src') expect(values.filter((v) => v.startsWith("'unsafe") || v === '*' || v === 'data:' || v === 'http:' || v === 'https:'), `${path} ${name}`).toEqual([]);
          }
          expect(csp.get('default-src')).toEqual(["'self'"]);
          expect(csp.get('object-src')).toEqual(["'none'"]);
          expect(csp.get('base-uri')).toEqual(["'none'"]);
          expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
          expect(csp.get('connect-src')).toEqual(["'self'"]);
          expect(res.headers.get('x-frame-options')).toBe('DENY');
          expect(res.headers.get('referrer-policy')).toBe('no-referrer');
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        }
      });
    });

    describe('API answers', () => {
      it('carry nosniff, a CSP that runs and frames nothing, and no Referer, on success and on every kind of error', async () => {
        const ingest = await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
        const answers: Array<[string, Response, number]> = [
          ['health', await t.app.request('/api/health'), 200],
          ['sites list', await t.app.request('/api/sites', { headers: adminHeaders() }), 200],
          ['session events', await t.app.request('/api/sessions/session-0001/events', { headers: adminHeaders() }), 200],
          ['ingest', ingest, 200],
          ['no credential', await t.app.request('/api/sites'), 401],
          ['unknown session', await t.app.request('/api/sessions/nosuchsession', { headers: adminHeaders() }), 404],
          ['unknown route', await t.app.request('/api/nothing-here'), 404],
          ['bad body', await t.app.request('/api/sites', { method: 'POST', headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: '{' }), 400],
          ['sign-in refused', await t.app.request('/api/auth/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":"wrong-token-0123456789"}' }), 401],
        ];
        for (const [label, res, status] of answers) {
          expect(res.status, label).toBe(status);
          expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
          const csp = directives(res.headers.get('content-security-policy'));
          expect(csp.get('default-src'), label).toEqual(["'none'"]);
          expect(csp.get('frame-ancestors'), label).toEqual(["'none'"]);
          expect(res.headers.get('referrer-policy'), label).toBe('no-referrer');
        }
      });
    });

    describe('the customer’s side', () => {
      it('serves the recorder and the demo shop with nosniff but without the viewer’s framing and CSP rules (other sites load them)', async () => {
        for (const path of ['/recorder.js', '/demo/']) {
          const res = await t.app.request(path);
          expect(res.status, path).toBe(200);
          expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
          expect(res.headers.get('content-security-policy'), path).toBeNull();
          expect(res.headers.get('x-frame-options'), path).toBeNull();
        }
      });
    });
  },
  () => ({ viewerDir: join(dist, 'viewer'), recorderDir: join(dist, 'recorder'), demoDir: join(dist, 'demo'), demo: true }),
  'file',
);
