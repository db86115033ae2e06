// Assembles the Hono app from its routes; everything it needs is passed in, so tests build it on a temp database.
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compressAnswers } from './api/compress-answers';
import { createFormsRoute } from './api/forms-route';
import { createFrictionRoute } from './api/friction-route';
import { createFunnelsRoute } from './api/funnels-route';
import { createGoalsRoute } from './api/goals-route';
import { createHeatmapRoute } from './api/heatmap-route';
import { createImpactRoute } from './api/impact-route';
import { parsePathParam } from './api/parse-input';
import { pathIdParam } from './api/query-fields';
import { createSessionDeletionRoute } from './api/session-deletion-route';
import { createSessionsRoute } from './api/sessions-route';
import { createSitesRoute } from './api/sites-route';
import { createAdminAuth } from './auth/admin-auth';
import { createAdminSessions } from './auth/admin-sessions';
import { createAuthRoute } from './auth/auth-route';
import { DEMO_SITE_NAME } from './demo-site';
import { ApiError } from './errors/api-error';
import { createErrorHandler, handleNotFound, type ErrorLogger } from './errors/error-handler';
import { createBatchWriter, type WriteBatch } from './ingest/batch-writer';
import { createIngestRoute } from './ingest/ingest-route';
import { createBatchStore } from './ingest/store-batch';
import { UNLIMITED, type IngestLimits } from './limits/ingest-limits';
import { createRepos, type AppRepos, type Repos } from './repos/create-repos';
import type { IngestSite } from './repos/sites-repo';
import { securityHeaders } from './security/security-headers';
import { createStaticRoutes } from './static/static-routes';

export interface AppDeps {
  /** The SQLite database; unused (and may be absent) when `postgres` is given. */
  db?: Database;
  /** Set when the server runs on PostgreSQL (DATABASE_URL) instead of SQLite. */
  postgres?: AppBackend;
  adminToken: string;
  /** Built from `db` when omitted. */
  repos?: Repos;
  recorderDir?: string;
  viewerDir?: string;
  demoDir?: string;
  /** Where unexpected errors are reported; console.error by default. */
  logError?: ErrorLogger;
  /** Ingest rate limits and the hourly cap on new sessions per site; none when omitted (tests, benches). */
  limits?: IngestLimits;
  /** Client addresses come from X-Forwarded-For (TRUST_PROXY). */
  trustProxy?: boolean;
  /** false when the operator turned the demo off (DEMO_SITE=off): no demo pages, its key refused. */
  demo?: boolean;
}

/** What the routes run on: SQLite's is built from `db`, PostgreSQL's is made by main.ts. */
export interface AppBackend {
  repos: AppRepos;
  writeBatch: WriteBatch;
  /** The ingest route looks keys up synchronously: SQLite's repository, or PostgreSQL's keys kept in memory. */
  siteKeys: { findByKey(key: string): IngestSite | undefined };
  /** The demo site, when there is one (its key is public; the static routes and the ingest check ask synchronously). */
  demoSite(): { id: string; key: string } | undefined;
}

function sqliteBackend(db: Database, repos: Repos, limits: IngestLimits): AppBackend {
  return {
    repos,
    writeBatch: createBatchWriter(db, createBatchStore(db, repos, { admitSession: limits.admitSession })),
    siteKeys: repos.sites,
    demoSite: () => repos.sites.findByName(DEMO_SITE_NAME),
  };
}

/** Defaults are relative to the repository, not the working directory, so `npm start` works from anywhere. */
export const DEFAULT_STATIC_PATHS = {
  recorderDir: fileURLToPath(new URL('../../dist/recorder/', import.meta.url)),
  viewerDir: fileURLToPath(new URL('../../dist/viewer/', import.meta.url)),
  demoDir: fileURLToPath(new URL('../demo/', import.meta.url)),
};

/** A site's name and origin list are far below this; anything larger is not a site. */
const MAX_ADMIN_BODY_BYTES = 64 * 1024;

const checkPathId: MiddlewareHandler = async function checkPathId(c, next) {
  parsePathParam(pathIdParam, 'id', c.req.param('id'));
  await next();
};

export function createApp(deps: AppDeps): Hono {
  const limits = deps.limits ?? UNLIMITED;
  const backend = deps.postgres ?? sqliteBackend(deps.db!, deps.repos ?? createRepos(deps.db!), limits);
  const { repos, writeBatch } = backend;
  const app = new Hono();
  app.onError(createErrorHandler(deps.logError));
  app.notFound(handleNotFound);

  // The demo's key is public on every installation: with the demo off, a demo site left from before is refused.
  const disabledSiteId = deps.demo === false ? backend.demoSite()?.id : undefined;
  // Ahead of every middleware: a batch's answer is written with its headers as they are, and the
  // route gives its answers (refusals too) the security headers below itself.
  // The ingest route calls findByKey only, which both backends' siteKeys answer synchronously.
  app.route('/api/ingest', createIngestRoute({ sites: backend.siteKeys as Repos['sites'], writeBatch, limits, trustProxy: deps.trustProxy, disabledSiteId }));
  app.use(securityHeaders());

  app.get('/api/health', (c) => c.json({ ok: true }));

  const trustProxy = deps.trustProxy ?? false;
  const adminSessions = createAdminSessions(repos.adminSessions, deps.adminToken);
  const adminAuth = createAdminAuth({ adminToken: deps.adminToken, sessions: adminSessions, trustProxy });
  const requireAdmin = adminAuth.middleware;
  const limitAdminBody = bodyLimit({
    maxSize: MAX_ADMIN_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Body is larger than ${MAX_ADMIN_BODY_BYTES} bytes`);
    },
  });
  // Event arrays compress about tenfold, and the viewer fetches whole sessions.
  for (const path of ['/api/sites/*', '/api/sessions/*', '/api/friction/*', '/api/heatmap/*', '/api/goals/*', '/api/funnels/*', '/api/impact/*', '/api/forms/*']) app.use(path, requireAdmin, limitAdminBody, compressAnswers());
  // The id in every admin path, checked once here for all the routes below; their queries and bodies have schemas of their own.
  for (const prefix of ['/api/sites', '/api/sessions', '/api/goals', '/api/funnels']) {
    app.use(`${prefix}/:id`, checkPathId);
    app.use(`${prefix}/:id/*`, checkPathId);
  }
  // The viewer's sign-in: the token once, a cookie session after (a site key is never an admin token).
  app.use('/api/auth/*', limitAdminBody);
  app.route('/api/auth', createAuthRoute({ adminToken: deps.adminToken, sessions: adminSessions, auth: adminAuth, trustProxy }));
  app.route('/api/sites', createSitesRoute(repos.sites));
  app.route('/api', createSessionDeletionRoute({ deletion: repos.deletion, sites: repos.sites, analysisQueue: repos.analysisQueue }));
  app.route('/api/sessions', createSessionsRoute(repos));
  app.route('/api/friction', createFrictionRoute(repos));
  app.route('/api/heatmap', createHeatmapRoute(repos));
  // Conversion impact: goals and funnels (also under /api/sites/:id/…), the impact ranking.
  app.route('/api', createGoalsRoute(repos));
  app.route('/api', createFunnelsRoute(repos));
  app.route('/api', createImpactRoute(repos));
  app.route('/api/forms', createFormsRoute(repos));

  if (deps.demo === false) {
    const demoOff = (c: Context) => c.text('The demo is turned off on this server.\n', 404);
    app.get('/demo', demoOff);
    app.get('/demo/*', demoOff);
  }
  app.route(
    '/',
    createStaticRoutes({
      recorderDir: deps.recorderDir ?? DEFAULT_STATIC_PATHS.recorderDir,
      viewerDir: deps.viewerDir ?? DEFAULT_STATIC_PATHS.viewerDir,
      demoDir: deps.demoDir ?? DEFAULT_STATIC_PATHS.demoDir,
      demoSiteKey: () => backend.demoSite()?.key,
    }),
  );
  return app;
}
