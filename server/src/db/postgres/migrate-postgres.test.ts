import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutPostgres, startPostgres, type PostgresServer } from '../../../../test/support/start-postgres';
import { loadPostgresMigrations, migratePostgres } from './migrate-postgres';

/** Every table the SQLite schema has after its migration 012, plus the migrations' own record, the nodes' shared limit counts and job schedule. */
const EXPECTED_TABLES = [
  'admin_sessions', 'analysis_queue', 'analysis_skipped', 'chunks', 'conversion_reach', 'form_outcome_errors',
  'form_outcome_fields', 'form_outcomes', 'friction', 'funnels', 'goal_completions', 'goal_jobs', 'goals',
  'heatmap_cell_days', 'heatmap_cell_weeks', 'heatmap_cells', 'heatmap_clicks', 'heatmap_element_days',
  'heatmap_loads', 'heatmap_page_days', 'heatmap_pages', 'heatmap_scroll_days', 'heatmap_scrolls',
  'heatmap_selectors', 'ingest_limit_takes', 'job_schedule', 'page_signals', 'page_visits', 'pages', 'schema_migrations', 'session_sources', 'sessions',
  'sites', 'tracked_events',
];

describe.skipIf(skipWithoutPostgres())('migratePostgres', () => {
  let server: PostgresServer;
  const pools: pg.Pool[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server?.stop();
  });

  async function freshPool(): Promise<pg.Pool> {
    const pool = new pg.Pool({ connectionString: await server.createDatabase() });
    pools.push(pool);
    return pool;
  }

  /** Top-level tables (chunks' partitions are not listed on their own). */
  async function tables(pool: pg.Pool): Promise<string[]> {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  async function appliedVersions(pool: pg.Pool): Promise<number[]> {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    return rows.map((row) => row.version);
  }

  it('brings a fresh database to the latest version with every table, and a second run applies nothing', async () => {
    const pool = await freshPool();
    const latest = loadPostgresMigrations().length;
    expect(await migratePostgres(pool)).toEqual({ from: 0, to: latest });
    expect(await tables(pool)).toEqual([...EXPECTED_TABLES].sort());
    const before = await pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');

    expect(await migratePostgres(pool)).toEqual({ from: latest, to: latest });
    const after = await pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
    expect(await appliedVersions(pool)).toEqual(Array.from({ length: latest }, (_, index) => index + 1));
  });

  it('migrates once when two nodes start at the same time, and both succeed', async () => {
    const url = await server.createDatabase();
    // Two pools: two nodes' connections, not one connection taking turns.
    const first = new pg.Pool({ connectionString: url });
    const second = new pg.Pool({ connectionString: url });
    pools.push(first, second);
    const latest = loadPostgresMigrations().length;
    const results = await Promise.all([migratePostgres(first), migratePostgres(second)]);
    expect(results.map((result) => result.to)).toEqual([latest, latest]);
    // One of them did the work from 0; the other waited on the lock and found it done (or did part).
    expect(Math.min(...results.map((result) => result.from))).toBe(0);
    expect(await appliedVersions(first)).toEqual(Array.from({ length: latest }, (_, index) => index + 1));
    expect(await tables(second)).toEqual([...EXPECTED_TABLES].sort());
  });

  it('applies files in numeric order, stops at `to`, and rolls back a failing migration with its record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-pg-migrations-'));
    dirs.push(dir);
    writeFileSync(join(dir, '001-first.sql'), 'CREATE TABLE t (n integer); INSERT INTO t VALUES (1);');
    writeFileSync(join(dir, '002-second.sql'), 'INSERT INTO t VALUES (2);');
    writeFileSync(join(dir, '003-broken.sql'), 'INSERT INTO t VALUES (3); INSERT INTO missing_table VALUES (1);');
    const pool = await freshPool();
    const migrations = loadPostgresMigrations(dir);

    expect(await migratePostgres(pool, { migrations, to: 1 })).toEqual({ from: 0, to: 1 });
    await expect(migratePostgres(pool, { migrations })).rejects.toThrow('Migration 003-broken failed');
    // 002 committed on its own; 003's insert went with its failure.
    expect(await appliedVersions(pool)).toEqual([1, 2]);
    expect((await pool.query('SELECT n FROM t ORDER BY n')).rows.map((row) => row.n)).toEqual([1, 2]);
  });

  it('migrates as an ordinary role that owns the database, as a hosted PostgreSQL provides', async () => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query('CREATE ROLE frictionlens_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE');
      await admin.query('CREATE DATABASE app_owned OWNER frictionlens_app TEMPLATE template0');
    } finally {
      await admin.end();
    }
    const pool = new pg.Pool({ connectionString: server.url.replace('postgres@', 'frictionlens_app@').replace(/\/postgres$/, '/app_owned') });
    pools.push(pool);
    expect((await pool.query('SELECT current_user AS name, usesuper FROM pg_user WHERE usename = current_user')).rows).toEqual([
      { name: 'frictionlens_app', usesuper: false },
    ]);
    expect(await migratePostgres(pool)).toEqual({ from: 0, to: loadPostgresMigrations().length });
    expect(await tables(pool)).toEqual([...EXPECTED_TABLES].sort());
  });

  it('refuses a database migrated by a newer release', async () => {
    const pool = await freshPool();
    await migratePostgres(pool);
    const known = loadPostgresMigrations();
    await expect(migratePostgres(pool, { migrations: known.slice(0, 2) })).rejects.toThrow(
      `Database is at schema version ${known.length}, newer than this server knows (2)`,
    );
  });
});
