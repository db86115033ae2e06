import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../../test/support/start-postgres';
import { migrate } from '../migrate';
import { migratePostgres } from './migrate-postgres';

/** Tables that belong to no site: the sign-in sessions, the nodes' shared rate-limit counts and the migrations' record. */
const SITELESS_TABLES = ['admin_sessions', 'ingest_limit_takes', 'job_schedule', 'schema_migrations'];
/**
 * The site key's unique index: ingest finds the site id by it (sites would be a Citus reference table).
 * A session id's: it belongs to one site (migration 008 says what a Citus deployment would do instead).
 */
const SITELESS_INDEXES = ['sites_key_key', 'sessions_id_unique'];

/** Columns PostgreSQL has and SQLite does not, all intended (see 001-sites-sessions.sql). */
const POSTGRES_ONLY_COLUMNS: Record<string, string[]> = {
  // The lowest stored seq, which store_batch keeps instead of reading min(seq) each batch (008).
  sessions: ['first_seq'],
  pages: ['site_id'],
  chunks: ['session_received_at', 'site_id'],
  analysis_queue: ['site_id'],
  page_signals: ['site_id'],
  analysis_skipped: ['site_id'],
  heatmap_selectors: ['site_id'],
  heatmap_cells: ['site_id'],
  heatmap_cell_days: ['site_id'],
  heatmap_cell_weeks: ['site_id'],
  heatmap_element_days: ['site_id'],
  heatmap_page_days: ['site_id'],
  heatmap_scroll_days: ['site_id'],
  heatmap_loads: ['site_id'],
  goal_completions: ['site_id'],
  goal_jobs: ['site_id'],
  page_visits: ['site_id'],
  // SQLite keys these rows by its implicit rowid.
  tracked_events: ['id', 'site_id'],
  session_sources: ['site_id'],
  form_outcome_fields: ['site_id'],
  form_outcome_errors: ['site_id'],
};
/** One SQLite node keeps its rate-limit counts in memory and runs its jobs itself; nodes on PostgreSQL share both. */
const POSTGRES_ONLY_TABLES = ['ingest_limit_takes', 'job_schedule', 'schema_migrations'];
/** What each SQLite storage class may become. */
const POSTGRES_TYPES_FOR: Record<string, string[]> = {
  INTEGER: ['bigint', 'integer', 'boolean'],
  TEXT: ['text', 'jsonb'],
  REAL: ['double precision'],
  BLOB: ['bytea'],
};
const JSONB_COLUMNS = ['friction.details', 'funnels.steps', 'page_signals.signals', 'sites.origins', 'sites.url_patterns'];
const BOOLEAN_COLUMNS = [
  'form_outcomes.abandoned', 'form_outcomes.submitted', 'heatmap_clicks.dead', 'heatmap_clicks.error', 'heatmap_clicks.fixed',
  'heatmap_clicks.rage', 'heatmap_loads.complete',
];

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** chunks_YYYYMMDD of the Monday (UTC) that starts the week holding ms. */
function weekPartition(ms: number): string {
  const day = new Date(ms);
  const monday = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - ((day.getUTCDay() + 6) % 7)));
  return `chunks_${monday.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

interface ColumnInfo {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

describe.skipIf(skipWithoutPostgres())('PostgreSQL schema', () => {
  let server: SharedPostgres;
  let pool: pg.Pool;
  let sqliteDir: string;

  beforeAll(async () => {
    server = await sharedPostgres();
    pool = new pg.Pool({ connectionString: await server.createDatabase() });
    await migratePostgres(pool);
    sqliteDir = mkdtempSync(join(tmpdir(), 'fl-pg-schema-'));
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  });

  it('has every SQLite table and column after migration 013, with a matching type and nullability', async () => {
    const sqlite = new Database(join(sqliteDir, 'frictionlens.db'));
    migrate(sqlite);
    const sqliteColumns: ColumnInfo[] = [];
    const sqliteTables = sqlite
      .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    for (const table of sqliteTables) {
      const info = sqlite.pragma(`table_info(${table})`) as { name: string; type: string; notnull: number; pk: number }[];
      // An INTEGER PRIMARY KEY column reports notnull 0 but is the rowid, never NULL.
      for (const column of info) {
        sqliteColumns.push({ table, column: column.name, type: column.type, nullable: column.notnull === 0 && column.pk === 0 });
      }
    }
    sqlite.close();

    const { rows: pgColumns } = await pool.query<ColumnInfo>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, NULL) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const pgByName = new Map(pgColumns.map((column) => [`${column.table}.${column.column}`, column]));

    expect(sqliteTables.length).toBeGreaterThan(25);
    const pgTables = [...new Set(pgColumns.map((column) => column.table))].sort();
    expect(pgTables).toEqual([...sqliteTables, ...POSTGRES_ONLY_TABLES].sort());

    const mismatches: string[] = [];
    for (const column of sqliteColumns) {
      const name = `${column.table}.${column.column}`;
      const counterpart = pgByName.get(name);
      if (!counterpart) mismatches.push(`${name}: missing`);
      else if (!POSTGRES_TYPES_FOR[column.type]?.includes(counterpart.type)) mismatches.push(`${name}: ${column.type} became ${counterpart.type}`);
      else if (counterpart.nullable !== column.nullable) mismatches.push(`${name}: nullable ${column.nullable} became ${counterpart.nullable}`);
    }
    expect(mismatches).toEqual([]);

    const sqliteNames = new Set(sqliteColumns.map((column) => `${column.table}.${column.column}`));
    const extra: Record<string, string[]> = {};
    for (const column of pgColumns) {
      if (POSTGRES_ONLY_TABLES.includes(column.table) || sqliteNames.has(`${column.table}.${column.column}`)) continue;
      (extra[column.table] ??= []).push(column.column);
    }
    for (const columns of Object.values(extra)) columns.sort();
    expect(extra).toEqual(POSTGRES_ONLY_COLUMNS);

    const ofType = (type: string) => pgColumns.filter((column) => column.type === type).map((column) => `${column.table}.${column.column}`).sort();
    expect(ofType('jsonb')).toEqual(JSONB_COLUMNS);
    expect(ofType('boolean')).toEqual(BOOLEAN_COLUMNS);
  });

  describe('chunks partitions', () => {
    let nextSession = 0;

    /** A site, a session first received at receivedAt, its page, and its batch seq 0; returns the session id. */
    async function storeBatch(receivedAt: number): Promise<string> {
      const session = `s${++nextSession}`;
      await pool.query(
        `INSERT INTO sites (id, name, key, origins, created_at) VALUES ('site', 'Shop', 'pk_shop', '["self"]', 0) ON CONFLICT DO NOTHING`,
      );
      await pool.query(
        `INSERT INTO sessions (site_id, id, started_at, ended_at, entry_url, device, received_at, updated_at)
         VALUES ('site', $1, $2, $2, 'https://shop.test/', 'desktop', $2, $2)`,
        [session, receivedAt],
      );
      await pool.query(`INSERT INTO pages (site_id, session_id, page_id, url, started_at) VALUES ('site', $1, 'p1', 'https://shop.test/', $2)`, [
        session,
        receivedAt,
      ]);
      await insertChunk(session, receivedAt);
      return session;
    }

    function insertChunk(session: string, sessionReceivedAt: number) {
      return pool.query(
        `INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at)
         VALUES ('site', $1, 0, $2, 'p1', $2, $2, 1, '\\x1f8b', $2)
         ON CONFLICT (site_id, session_id, seq, session_received_at) DO NOTHING`,
        [session, sessionReceivedAt],
      );
    }

    async function partitionOf(session: string): Promise<string[]> {
      const { rows } = await pool.query<{ partition: string }>(
        `SELECT tableoid::regclass::text AS partition FROM chunks WHERE site_id = 'site' AND session_id = $1`,
        [session],
      );
      return rows.map((row) => row.partition);
    }

    it("stores a batch in its session's week, and a retried batch is stored once", async () => {
      const now = Date.now();
      const session = await storeBatch(now);
      expect(await partitionOf(session)).toEqual([weekPartition(now)]);
      // The migration created this week's partition and the next four.
      const later = await storeBatch(now + 4 * WEEK_MS);
      expect(await partitionOf(later)).toEqual([weekPartition(now + 4 * WEEK_MS)]);

      expect((await insertChunk(session, now)).rowCount).toBe(0);
      expect(await partitionOf(session)).toEqual([weekPartition(now)]);
    });

    it('keeps a batch with no weekly partition in the default one, and moves it when its week is created', async () => {
      const wednesday = Date.UTC(2031, 0, 15, 12);
      const session = await storeBatch(wednesday);
      expect(await partitionOf(session)).toEqual(['chunks_default']);

      const created = await pool.query<{ name: string }>('SELECT create_chunk_partitions($1, 2) AS name', [wednesday]);
      expect(created.rows.map((row) => row.name)).toEqual(['chunks_20310113', 'chunks_20310120']);
      expect(await partitionOf(session)).toEqual(['chunks_20310113']);
      expect((await pool.query('SELECT count(*)::int AS n FROM chunks_default')).rows[0].n).toBe(0);
      // Again: both exist, nothing created.
      expect((await pool.query('SELECT create_chunk_partitions($1, 2)', [wednesday])).rowCount).toBe(0);
    });

    it('drops the partitions whose week ended by the cutoff, with their batches, and keeps the rest', async () => {
      const oldWednesday = Date.UTC(2020, 5, 10, 12);
      await pool.query('SELECT create_chunk_partitions($1, 1)', [oldWednesday]);
      const old = await storeBatch(oldWednesday);
      const current = await storeBatch(Date.now());
      expect(await partitionOf(old)).toEqual(['chunks_20200608']);
      const weekEnd = Date.UTC(2020, 5, 15);

      expect((await pool.query('SELECT drop_chunk_partitions($1)', [weekEnd - 1])).rowCount).toBe(0);
      const dropped = await pool.query<{ name: string }>('SELECT drop_chunk_partitions($1) AS name', [weekEnd]);
      expect(dropped.rows.map((row) => row.name)).toEqual(['chunks_20200608']);
      expect(await partitionOf(old)).toEqual([]);
      expect(await partitionOf(current)).toEqual([weekPartition(Date.now())]);
      // The session row stays for the retention job's delete; only the bulky bodies went at once.
      expect((await pool.query(`SELECT count(*)::int AS n FROM sessions WHERE id = $1`, [old])).rows[0].n).toBe(1);
    });
  });

  it('starts every primary key and every index with the site id (partitions included, those the tests above created too)', async () => {
    const { rows } = await pool.query<{ table: string; index: string; primary: boolean; first: string | null }>(
      `SELECT t.relname AS table, i.relname AS index, x.indisprimary AS primary,
         (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = x.indkey[0]) AS first
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' ORDER BY 1, 2`,
    );
    const checked = rows.filter((row) => !SITELESS_TABLES.includes(row.table) && !SITELESS_INDEXES.includes(row.index));
    // An expression first (attnum 0) has no column name and fails too.
    const offenders = checked
      .filter((row) => row.first !== (row.table === 'sites' ? 'id' : 'site_id'))
      .map((row) => `${row.table}.${row.index} starts with ${row.first ?? 'an expression'}`);
    expect(offenders).toEqual([]);
    expect(checked.length).toBeGreaterThan(60);

    const { rows: withoutKey } = await pool.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
         AND NOT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indisprimary)`,
    );
    expect(withoutKey).toEqual([]);
  });
});
