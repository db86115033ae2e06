// Test support: the real app on either backend (SQLite in a temp dir, or a copy of the migrated PostgreSQL template), for route tests run on both.
import type { Database } from 'better-sqlite3';
import type { Hono } from 'hono';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import type { BackendKind } from '../../../test/support/both-backends';
import { createAnalysisPass, type AnalysisPass, type AnalysisPassDeps } from '../analysis/analysis-pass';
import { sqliteTransactions, type AnalysisTransactions } from '../analysis/analysis-transactions';
import { pgAnalysisDatabase } from '../analysis/pg-analysis-transactions';
import type { Site } from '../api-types';
import { createApp, type AppDeps } from '../app';
import { openPostgresBackend } from '../db/postgres/open-postgres-backend';
import { ensureDemoSite } from '../demo-site';
import { UNLIMITED } from '../limits/ingest-limits';
import type { AppRepos } from '../repos/create-repos';
import { createPgRepos } from '../repos/postgres/create-pg-repos';
import { SHOP_ORIGIN, TEST_ADMIN_TOKEN, createTestApp } from './test-app';

/** Sessions idle this long have ended, for the passes tests run (none of them waits on it). */
const TEST_IDLE_TIMEOUT_MS = 60_000;

export interface BackendTestApp {
  kind: BackendKind;
  app: Hono;
  repos: AppRepos;
  /** A site allowing SHOP_ORIGIN, ready to ingest into. */
  site: Site;
  /** Logged unexpected errors; tests assert it stays empty. */
  errors: unknown[];
  /** Another app on the same database, as a second server or a restart with other options would be. */
  appWith(deps: Partial<AppDeps>): Hono;
  /** SQLite only: the handle, for checks kept on SQLite. */
  db?: Database;
  /** PostgreSQL only. */
  pool?: pg.Pool;
  /** PostgreSQL only: the test database's URL, for a second backend on it (another node, a restart, a path through a proxy). */
  databaseUrl?: string;
  /** The rows of one query, for checks no route answers. Placeholders are `?` on both backends. */
  rows<T>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Runs one statement (a test's own set-up or damage). Placeholders as in rows. */
  exec(sql: string, values?: unknown[]): Promise<void>;
  /** The analysis process's transactions and the repositories that write inside them (goal jobs, retention). */
  analysisDatabase(): { transactions: AnalysisTransactions; repos: AppRepos };
  /** An analysis pass over this backend's queue, as the server's analysis process runs it. */
  analysisPass(deps?: Partial<Omit<AnalysisPassDeps, 'transactions' | 'repos'>>): AnalysisPass;
  close(): Promise<void>;
}

const toDollarParams = (sql: string): string => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

function sqliteTestApp(overrides: Partial<AppDeps>): BackendTestApp {
  const t = createTestApp(overrides);
  if (overrides.demo === true) ensureDemoSite(t.repos.sites);
  return {
    kind: 'sqlite',
    app: t.app,
    repos: t.repos,
    site: t.site,
    errors: t.errors,
    appWith: (deps) => createApp({ db: t.db, adminToken: TEST_ADMIN_TOKEN, ...deps }),
    db: t.db,
    rows: async <T>(sql: string, values: unknown[] = []) => t.db.prepare(sql).all(...values) as T[],
    exec: async (sql, values = []) => void t.db.prepare(sql).run(...values),
    analysisDatabase: () => ({ transactions: sqliteTransactions(t.db), repos: t.repos }),
    analysisPass: (deps = {}) => createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: TEST_IDLE_TIMEOUT_MS, ...deps }),
    close: async () => t.close(),
  };
}

/** The app as main.ts builds it on DATABASE_URL (limits as given), on a fresh copy of the migrated template. */
async function postgresTestApp(cluster: SharedPostgres, overrides: Partial<AppDeps>): Promise<BackendTestApp> {
  const databaseUrl = await cluster.migratedDatabase();
  const postgres = await openPostgresBackend(databaseUrl, { limits: overrides.limits ?? UNLIMITED, demoSite: overrides.demo === true });
  const { pool, backend } = postgres;
  const errors: unknown[] = [];
  const app = createApp({ postgres: backend, adminToken: TEST_ADMIN_TOKEN, logError: (_message, err) => errors.push(err), ...overrides });
  const site = await backend.repos.sites.create({ name: 'Shop', origins: [SHOP_ORIGIN] }, Date.now());
  const analysisDatabase = () => {
    // The repositories write inside the transactions, as in the analysis process.
    const analysis = pgAnalysisDatabase(pool);
    return { transactions: analysis.transactions, repos: createPgRepos(analysis.pool) };
  };
  return {
    kind: 'postgres',
    app,
    repos: backend.repos,
    site,
    errors,
    appWith: (deps) => createApp({ postgres: backend, adminToken: TEST_ADMIN_TOKEN, ...deps }),
    pool,
    databaseUrl,
    rows: async <T>(sql: string, values: unknown[] = []) => (await pool.query(toDollarParams(sql), values)).rows as T[],
    exec: async (sql, values = []) => void (await pool.query(toDollarParams(sql), values)),
    analysisDatabase,
    analysisPass: (deps = {}) => createAnalysisPass({ ...analysisDatabase(), idleTimeoutMs: TEST_IDLE_TIMEOUT_MS, ...deps }),
    close: () => postgres.close(),
  };
}

/** Rows of the tables ingest writes, on either backend. */
export async function storedCounts(t: Pick<BackendTestApp, 'rows'>): Promise<{ sessions: number; pages: number; chunks: number }> {
  const count = async (table: string) => Number((await t.rows<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return { sessions: await count('sessions'), pages: await count('pages'), chunks: await count('chunks') };
}

/**
 * `describeAppOnBothBackends('GET /api/sessions', (t) => { it(…, async () => { await t().app.request(…) }) })`
 * declares the body twice, "[sqlite]" and "[postgres]", with a fresh app and database per test.
 * The PostgreSQL half uses the run's shared cluster, and is skipped, saying how to enable it,
 * where no PostgreSQL 15+ is installed. `overrides` are the createApp options of every test
 * (`demo: true` also makes the demo site, as the server does with DEMO_SITE on; there is none otherwise);
 * scope 'file' makes one app for all the tests of a half (files that seed a large scenario once).
 */
export function describeAppOnBothBackends(
  title: string,
  body: (t: () => BackendTestApp) => void,
  overrides: () => Partial<AppDeps> = () => ({}),
  scope: 'test' | 'file' = 'test',
): void {
  const [before, after] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  describe(`${title} [sqlite]`, () => {
    let current: BackendTestApp | undefined;
    before(() => {
      current = sqliteTestApp(overrides());
    });
    after(() => current?.close());
    body(() => current!);
  });

  describeAppOnPostgres(title, body, overrides, scope);
}

/** The PostgreSQL half alone, for what only PostgreSQL has (a server that can be out of reach); as describeAppOnBothBackends. */
export function describeAppOnPostgres(
  title: string,
  body: (t: () => BackendTestApp) => void,
  overrides: () => Partial<AppDeps> = () => ({}),
  scope: 'test' | 'file' = 'test',
): void {
  const [before, after] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  describe.skipIf(skipWithoutPostgres())(`${title} [postgres]`, () => {
    let cluster: SharedPostgres | undefined;
    let current: BackendTestApp | undefined;
    beforeAll(async () => {
      cluster = await sharedPostgres();
    });
    afterAll(() => cluster?.stop());
    before(async () => {
      current = await postgresTestApp(cluster!, overrides());
    });
    after(() => current?.close());
    body(() => current!);
  });
}
