import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SITE_NAME } from '../demo-site';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';

let root: string;
let t: BackendTestApp;

// Before the apps of both backends are made (their hooks are nested below).
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fl-static-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The build and the demo as each test starts: the last test removes the build. */
function writeTree(): void {
  mkdirSync(join(root, 'dist/recorder'), { recursive: true });
  mkdirSync(join(root, 'dist/viewer/assets'), { recursive: true });
  mkdirSync(join(root, 'demo'), { recursive: true });
  writeFileSync(join(root, 'dist/recorder/recorder.js'), 'console.log("recorder")');
  writeFileSync(join(root, 'dist/recorder/frictionlens.mjs'), 'export const init = () => null;');
  writeFileSync(join(root, 'dist/viewer/index.html'), '<title>viewer</title>');
  writeFileSync(join(root, 'dist/viewer/assets/index-abc123.js'), 'export {}');
  writeFileSync(join(root, 'demo/index.html'), '<script src="/recorder.js" data-key="%FRICTIONLENS_SITE_KEY%"></script>');
  writeFileSync(join(root, 'demo/checkout.html'), 'key=%FRICTIONLENS_SITE_KEY% again=%FRICTIONLENS_SITE_KEY%');
  writeFileSync(join(root, 'demo/shop.css'), '/* %FRICTIONLENS_SITE_KEY% */');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
}

// One app per backend for the file: the files are written again before each test, and only the demo test reads the database.
describeAppOnBothBackends(
  'static routes',
  (backend) => {
    beforeAll(() => {
      t = backend();
    });
    beforeEach(writeTree);

    describe('static files', () => {
      it('serves the recorder bundle and its module build cross-origin with a short cache', async () => {
        for (const [path, body] of [
          ['/recorder.js', 'console.log("recorder")'],
          ['/frictionlens.mjs', 'export const init = () => null;'],
        ]) {
          const res = await t.app.request(path!);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
          expect(res.headers.get('cache-control')).toBe('public, max-age=300');
          expect(res.headers.get('access-control-allow-origin')).toBe('*');
          expect(await res.text()).toBe(body);
        }
      });

      it('serves the viewer at / and its fingerprinted assets', async () => {
        const index = await t.app.request('/');
        expect(index.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await index.text()).toBe('<title>viewer</title>');
        const asset = await t.app.request('/assets/index-abc123.js');
        expect(asset.status).toBe(200);
        expect(asset.headers.get('cache-control')).toMatch(/immutable/);
        expect((await t.app.request('/assets/missing.js')).status).toBe(404);
      });

      it('serves demo pages with the demo site key filled into HTML only', async () => {
        const demo = (await t.repos.sites.findByName(DEMO_SITE_NAME))!;
        expect((await t.app.request('/demo')).headers.get('location')).toBe('/demo/');
        expect(await (await t.app.request('/demo/')).text()).toBe(`<script src="/recorder.js" data-key="${demo.key}"></script>`);
        expect(await (await t.app.request('/demo/checkout.html')).text()).toBe(`key=${demo.key} again=${demo.key}`);
        const css = await t.app.request('/demo/shop.css');
        expect(css.headers.get('content-type')).toMatch(/^text\/css/);
        expect(await css.text()).toBe('/* %FRICTIONLENS_SITE_KEY% */');
      });

      it("answers the demo cart's promo code: 200 for WELCOME10, 422 for any other (the advertised SPRING15 is the demo's trap)", async () => {
        const post = (code: string) => t.app.request('/demo/api/promo', { method: 'POST', body: code, headers: { 'content-type': 'text/plain' } });
        const ok = await post(' welcome10 ');
        expect(ok.status).toBe(200);
        expect(await ok.json()).toEqual({ code: 'WELCOME10', rate: 0.1 });
        const refused = await post('SPRING15');
        expect(refused.status).toBe(422);
        expect(await refused.json()).toEqual({ error: { code: 'invalid_request', message: 'This code is not valid.' } });
        expect((await t.app.request('/demo/api/promo')).status).toBe(404);
      });

      it.each(['/demo/..%2fsecret.txt', '/demo/%2e%2e/secret.txt', '/%2e%2e/%2e%2e/secret.txt', '/..%2f..%2fsecret.txt', '/demo/%2e%2e%2f%2e%2e%2fsecret.txt'])(
        'refuses the traversal %s',
        async (path) => {
          const res = await t.app.request(path);
          expect(res.status).toBe(404);
          expect(await res.text()).not.toContain('TOP SECRET');
        },
      );

      it('answers 503 with build instructions when the build is missing', async () => {
        rmSync(join(root, 'dist'), { recursive: true });
        for (const path of ['/', '/recorder.js', '/frictionlens.mjs', '/assets/index-abc123.js']) {
          const res = await t.app.request(path);
          expect(res.status).toBe(503);
          expect(await res.text()).toContain('npm run build');
        }
      });
    });
  },
  () => ({ recorderDir: join(root, 'dist/recorder'), viewerDir: join(root, 'dist/viewer'), demoDir: join(root, 'demo'), demo: true }),
  'file',
);
