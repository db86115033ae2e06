// DEMO_SITE=off: the demo shop is not served and the demo site's public key writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from './app';
import { openPostgresBackend } from './db/postgres/open-postgres-backend';
import { DEMO_SITE_NAME, ensureDemoSite } from './demo-site';
import { UNLIMITED } from './limits/ingest-limits';
import { createRepos } from './repos/create-repos';
import { describeAppOnBothBackends, storedCounts, type BackendTestApp } from './testing/backend-test-app';
import { TEST_ADMIN_TOKEN, gzipJson, makeBatch, postIngest } from './testing/test-app';

let t: BackendTestApp;
let demoDir: string;
let closing: Array<() => Promise<void>> = [];

/** The server started again on the same database with the demo on or off, as main.ts starts it; and the demo site's key, if there is one. */
async function startServer(demo: boolean): Promise<{ app: Hono; demoKey: string | undefined }> {
  if (t.db) {
    const { sites } = createRepos(t.db);
    if (demo) ensureDemoSite(sites);
    return { app: t.appWith({ demo, demoDir }), demoKey: sites.findByName(DEMO_SITE_NAME)?.key };
  }
  // PostgreSQL's backend looks for the demo site (and makes it when the demo is on) as it opens, once.
  const node = await openPostgresBackend(t.databaseUrl!, { limits: UNLIMITED, demoSite: demo });
  closing.push(() => node.close());
  return { app: createApp({ postgres: node.backend, adminToken: TEST_ADMIN_TOKEN, demo, demoDir }), demoKey: node.backend.demoSite()?.key };
}

describeAppOnBothBackends('the demo switch', (backend) => {
  beforeEach(() => {
    t = backend();
    demoDir = mkdtempSync(join(tmpdir(), 'fl-demo-switch-'));
    writeFileSync(join(demoDir, 'index.html'), '<p>%FRICTIONLENS_SITE_KEY%</p>');
  });
  afterEach(async () => {
    for (const close of closing) await close();
    closing = [];
    rmSync(demoDir, { recursive: true, force: true });
  });

  it('on (the default): the demo pages carry the demo key, which records', async () => {
    const { app, demoKey } = await startServer(true);
    expect(demoKey).toBeDefined();
    expect(await (await app.request('/demo/')).text()).toBe(`<p>${demoKey}</p>`);
    expect((await postIngest(app, demoKey!, gzipJson(makeBatch()))).status).toBe(200);
  });

  it('off: no demo pages, and the key of a demo site created before is refused like an unknown one', async () => {
    await startServer(true);
    const { app, demoKey } = await startServer(false);
    expect(demoKey).toBeDefined();
    expect((await app.request('/demo/')).status).toBe(404);
    expect((await app.request('/demo/index.html')).status).toBe(404);
    const res = await postIngest(app, demoKey!, gzipJson(makeBatch()));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unknown_site_key');
    expect((await storedCounts(t)).chunks).toBe(0);
    // Other sites record as usual.
    expect((await postIngest(app, t.site.key, gzipJson(makeBatch()))).status).toBe(200);
  });
});
