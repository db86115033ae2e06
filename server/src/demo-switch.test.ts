// DEMO_SITE=off: the demo shop is not served and the demo site's public key writes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { ensureDemoSite } from './demo-site';
import { TEST_ADMIN_TOKEN, createTestApp, gzipJson, makeBatch, postIngest, rowCounts, type TestApp } from './testing/test-app';

let t: TestApp;
let demoDir: string;
beforeEach(() => {
  t = createTestApp();
  demoDir = join(t.dataDir, 'demo');
  mkdirSync(demoDir);
  writeFileSync(join(demoDir, 'index.html'), '<p>%FRICTIONLENS_SITE_KEY%</p>');
});
afterEach(() => t.close());

const appWithDemo = (demo: boolean) => createApp({ db: t.db, repos: t.repos, adminToken: TEST_ADMIN_TOKEN, demo, demoDir });

describe('the demo switch', () => {
  it('on (the default): the demo pages carry the demo key, which records', async () => {
    const demo = ensureDemoSite(t.repos.sites);
    const app = appWithDemo(true);
    expect(await (await app.request('/demo/')).text()).toBe(`<p>${demo.key}</p>`);
    expect((await postIngest(app, demo.key, gzipJson(makeBatch()))).status).toBe(200);
  });

  it('off: no demo pages, and the key of a demo site created before is refused like an unknown one', async () => {
    const demo = ensureDemoSite(t.repos.sites);
    const app = appWithDemo(false);
    expect((await app.request('/demo/')).status).toBe(404);
    expect((await app.request('/demo/index.html')).status).toBe(404);
    const res = await postIngest(app, demo.key, gzipJson(makeBatch()));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unknown_site_key');
    expect(rowCounts(t.db).chunks).toBe(0);
    // Other sites record as usual.
    expect((await postIngest(app, t.site.key, gzipJson(makeBatch()))).status).toBe(200);
  });
});
