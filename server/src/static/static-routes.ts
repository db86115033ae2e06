// Serves the recorder bundles, the viewer build and the demo shop, with the demo's site key filled in.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { VIEWER_HEADERS } from '../security/security-headers';
import { contentTypeFor } from './content-type';
import { checkDemoPromo, DEMO_PROMO_PATH } from './demo-promo';
import { resolveInside } from './safe-path';

export interface StaticRoutesDeps {
  /** dist/recorder: recorder.js for the script tag, frictionlens.mjs for module imports. */
  recorderDir: string;
  viewerDir: string;
  demoDir: string;
  /** Key of the demo site, looked up per request; undefined when no demo site exists. */
  demoSiteKey: () => string | undefined;
}

/** The demo's HTML names its site key with this placeholder; it is replaced at serve time. */
export const SITE_KEY_PLACEHOLDER = '%FRICTIONLENS_SITE_KEY%';
/** Long enough to spare repeat downloads, short enough that a rebuilt recorder reaches sites soon. */
export const RECORDER_MAX_AGE_S = 300;
/** The recorder's builds, by the path they are served at; recorder/vite.config.ts names the files. */
export const RECORDER_FILES = ['recorder.js', 'frictionlens.mjs'] as const;
const NOT_BUILT = 'frictionlens is not built yet: run `npm run build`, then restart the server.\n';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function notBuilt(c: Context): Response {
  return c.text(NOT_BUILT, 503, { 'Cache-Control': 'no-store' });
}

/** The path below `prefix`, still percent-encoded, taken from the raw URL so it is decoded only once. */
function pathBelow(c: Context, prefix: string): string {
  return new URL(c.req.url).pathname.slice(prefix.length);
}

export function createStaticRoutes({ recorderDir, viewerDir, demoDir, demoSiteKey }: StaticRoutesDeps): Hono {
  const app = new Hono();

  for (const file of RECORDER_FILES) {
    app.get(`/${file}`, async (c) => {
      const path = join(recorderDir, file);
      if (!(await isFile(path))) return notBuilt(c);
      return c.body(await readFile(path), 200, {
        'Content-Type': 'application/javascript; charset=utf-8',
        'Cache-Control': `public, max-age=${RECORDER_MAX_AGE_S}`,
        // Sites load the script cross-origin: with this they may use crossorigin/SRI attributes,
        // and import the module build, which browsers fetch in CORS mode.
        'Access-Control-Allow-Origin': '*',
      });
    });
  }

  // Relative links in the demo pages need the trailing slash.
  app.get('/demo', (c) => c.redirect('/demo/', 301));
  app.post(DEMO_PROMO_PATH, checkDemoPromo);

  app.get('/demo/*', async (c) => {
    const rel = pathBelow(c, '/demo/');
    const path = resolveInside(demoDir, rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!path || !(await isFile(path))) return c.notFound();
    const headers = { 'Content-Type': contentTypeFor(path), 'Cache-Control': 'no-cache' };
    if (!path.endsWith('.html')) return c.body(await readFile(path), 200, headers);
    const key = demoSiteKey();
    if (key === undefined) return c.text('The demo site is missing; restart the server to create it.\n', 503);
    const html = (await readFile(path, 'utf8')).replaceAll(SITE_KEY_PLACEHOLDER, key);
    return c.body(html, 200, headers);
  });

  app.get('/*', async (c) => {
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return c.notFound();
    const rel = pathBelow(c, '/');
    const path = resolveInside(viewerDir, rel === '' ? 'index.html' : rel);
    if (path && (await isFile(path))) {
      // Vite fingerprints everything under assets/, so those files never change under one name.
      const cacheControl = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return c.body(await readFile(path), 200, { 'Content-Type': contentTypeFor(path), 'Cache-Control': cacheControl, ...VIEWER_HEADERS });
    }
    if (rel === '' || !(await isDirectory(viewerDir))) return notBuilt(c);
    return c.notFound();
  });

  return app;
}
