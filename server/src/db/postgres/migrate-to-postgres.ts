// Copies a SQLite installation into an empty PostgreSQL database: resumable, with progress, checked at the end.
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MultiBar, Presets } from 'cli-progress';
import pg, { type PoolClient } from 'pg';
import { currentVersion, loadMigrations } from '../migrate';
import { createTableCopier, PROGRESS_TABLE, type TableProgress } from './copy-sqlite-table';
import { migratePostgres } from './migrate-postgres';
import { COPY_TABLES } from './sqlite-copy-tables';
import { formatCopyChecks, verifySqliteCopy, type CopyCheck } from './verify-sqlite-copy';

/** Rows per INSERT: past a few thousand a batch gains little and holds its transaction longer. */
export const DEFAULT_BATCH_ROWS = 2000;
/** Chunk bodies are tens of KB each: a batch stops early at this much data so memory stays flat. */
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;
/** Held for the whole copy, so two copies into one database never run at once ("frsq" in ASCII). */
export const COPY_LOCK_KEY = 0x66727371;
/** Chunk partitions are weeks starting Monday 00:00 UTC, as chunk_week_start computes them. */
const WEEK_MS = 604_800_000;
const MONDAY_OFFSET_MS = 259_200_000;

export interface MigrateToPostgresOptions {
  /** The SQLite database file (data/frictionlens.db). */
  from: string;
  /** postgres://… of the target database. */
  to: string;
  batchRows?: number;
  batchBytes?: number;
  /** Stops between batches: what was committed stays, and a later run goes on from there. */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (table: string, rows: number) => void;
  /** Progress bars on stderr; on by default. */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface MigrateToPostgresResult {
  /** Every check passed (false when aborted: nothing was checked). */
  ok: boolean;
  aborted: boolean;
  /** Rows copied by this run. */
  copied: number;
  checks: CopyCheck[];
  seconds: number;
}

/** Tables with nothing to copy: SQLite's single node keeps its rate-limit counts in memory and its job times to itself. */
const NOT_COPIED = ['schema_migrations', 'ingest_limit_takes', 'job_schedule', PROGRESS_TABLE];

async function userTables(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND NOT (c.relname = ANY($1::text[]))`,
    [NOT_COPIED],
  );
  return rows.map((row) => row.name);
}

/** Refuses a target whose schema has a table this copy does not fill, or that holds rows of something else. */
async function prepareTarget(client: PoolClient, source: string): Promise<Map<string, TableProgress>> {
  const known = new Set(COPY_TABLES.map((table) => table.name));
  const unknown = (await userTables(client)).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`The target has tables this copy does not fill: ${unknown.join(', ')}; update frictionlens`);
  const { rows: exists } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [PROGRESS_TABLE]);
  if (!exists[0]!.found) {
    for (const table of COPY_TABLES) {
      const { rowCount } = await client.query(`SELECT 1 FROM ${table.name} LIMIT 1`);
      if (rowCount) throw new Error(`The target database already holds data (table ${table.name}); copy into an empty database`);
    }
    await client.query(
      `CREATE TABLE ${PROGRESS_TABLE} (
         table_name text PRIMARY KEY, source text NOT NULL, last_key jsonb, copied bigint NOT NULL, done boolean NOT NULL)`,
    );
    return new Map();
  }
  const { rows } = await client.query<{ table_name: string; source: string; last_key: unknown[] | null; copied: string; done: boolean }>(
    `SELECT table_name, source, last_key, copied::text, done FROM ${PROGRESS_TABLE}`,
  );
  const other = rows.find((row) => row.source !== source);
  if (other) throw new Error(`The target holds an unfinished copy of ${other.source}, not of ${source}; copy into an empty database`);
  return new Map(rows.map((row) => [row.table_name, { lastKey: row.last_key, copied: Number(row.copied), done: row.done }]));
}

/** The weekly partitions the sessions' batches go to, made before any batch is copied (else they land in chunks_default). */
async function createChunkPartitions(sqlite: Database.Database, client: PoolClient): Promise<void> {
  const weeks = sqlite
    .prepare(
      `SELECT DISTINCT received_at - ((received_at + ${MONDAY_OFFSET_MS}) % ${WEEK_MS}) FROM sessions
       WHERE id IN (SELECT session_id FROM chunks)`,
    )
    .pluck()
    .all() as number[];
  for (const week of weeks) await client.query('SELECT create_chunk_partitions($1, 1)', [week]);
}

/** Identity columns were given explicit ids: start each sequence past the largest, so new rows do not collide. */
async function resetIdentities(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  for (const { table_name: table, column_name: column } of rows) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${column}) FROM ${table}), 0) + 1, false)`,
      [table, column],
    );
  }
}

async function tablesWithTriggers(client: PoolClient): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>('SELECT DISTINCT tgrelid::regclass::text AS name FROM pg_trigger WHERE NOT tgisinternal');
  return new Set(rows.map((row) => row.name));
}

function progressBars(enabled: boolean, total: number, done: number) {
  if (!enabled) return { table: (_name: string, _total: number, _value: number) => {}, update: (_value: number, _overall: number) => {}, stop: () => {} };
  const bars = new MultiBar(
    {
      format: '{name} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}',
      hideCursor: true,
      // Logs and CI have no terminal: a line every few seconds there instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  const overall = bars.create(total, done, { name: 'all tables'.padEnd(20) });
  // One bar for the table under way, started again for each (its ETA restarts with it).
  const current = bars.create(0, 0, { name: ''.padEnd(20) });
  return {
    table(name: string, tableTotal: number, value: number) {
      current.start(Math.max(tableTotal, value), value, { name: name.padEnd(20) });
    },
    update(value: number, overallValue: number) {
      current.update(value);
      overall.update(overallValue);
    },
    stop: () => bars.stop(),
  };
}

export async function migrateToPostgres(options: MigrateToPostgresOptions): Promise<MigrateToPostgresResult> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const limits = { rows: options.batchRows ?? DEFAULT_BATCH_ROWS, bytes: options.batchBytes ?? DEFAULT_BATCH_BYTES };
  const source = resolve(options.from);
  // Read-only: the server may still be running on this file; we never write to it.
  const sqlite = new Database(source, { readonly: true, fileMustExist: true });
  const pool = new pg.Pool({ connectionString: options.to, max: 2 });
  let client: PoolClient | null = null;
  try {
    const version = currentVersion(sqlite);
    const latest = loadMigrations().length;
    if (version !== latest) {
      throw new Error(`${source} is at schema version ${version}, this frictionlens expects ${latest}: start the server on it once to bring it up to date`);
    }
    await migratePostgres(pool);
    client = await pool.connect();
    const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [COPY_LOCK_KEY]);
    if (!lock[0]!.locked) throw new Error('Another copy into this database is running');
    const progress = await prepareTarget(client, source);
    const withTriggers = await tablesWithTriggers(client);

    // One read transaction for the whole run: every table is read as of the same moment, so no
    // row refers to one the copy did not see, even while the server goes on writing.
    sqlite.exec('BEGIN');
    const totals = new Map(COPY_TABLES.map((table) => [table.name, sqlite.prepare(`SELECT count(*) FROM ${table.countFrom ?? table.name}`).pluck().get() as number]));
    const total = [...totals.values()].reduce((sum, count) => sum + count, 0);
    const alreadyCopied = [...progress.values()].reduce((sum, row) => sum + row.copied, 0);
    const bars = progressBars(options.progress ?? true, total, alreadyCopied);
    let copied = 0;
    try {
      for (const table of COPY_TABLES) {
        let state = progress.get(table.name) ?? { lastKey: null, copied: 0, done: false };
        if (state.done) continue;
        if (table.name === 'chunks') await createChunkPartitions(sqlite, client);
        const copier = await createTableCopier(sqlite, client, table, limits, source, withTriggers.has(table.name));
        bars.table(table.name, totals.get(table.name)!, state.copied);
        while (!state.done) {
          if (options.signal?.aborted) {
            bars.stop();
            log(`migrate-to-postgres: stopped in ${table.name}; run the same command again to go on from there`);
            return { ok: false, aborted: true, copied, checks: [], seconds: (performance.now() - started) / 1000 };
          }
          const before = state.copied;
          state = await copier.copyBatch(state);
          copied += state.copied - before;
          bars.update(state.copied, alreadyCopied + copied);
          options.onBatch?.(table.name, state.copied - before);
        }
      }
    } finally {
      bars.stop();
    }
    await resetIdentities(client);
    const checks = await verifySqliteCopy(sqlite, client, COPY_TABLES);
    const ok = checks.every((check) => check.ok);
    log(formatCopyChecks(checks));
    const seconds = (performance.now() - started) / 1000;
    if (ok) {
      // Its job is done; a database that holds it is one with a copy still under way.
      await client.query(`DROP TABLE ${PROGRESS_TABLE}`);
      log(`migrate-to-postgres: ${copied} rows copied in ${seconds.toFixed(1)} s (${Math.round(copied / seconds)} rows/s); every count matches`);
    } else {
      log('migrate-to-postgres: the copy does not match its source (see MISMATCH above); was the server writing to it? Copy again into an empty database with the server stopped');
    }
    return { ok, aborted: false, copied, checks, seconds };
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    sqlite.close();
    // Releasing ends the session's advisory lock with the connection.
    client?.release(true);
    await pool.end();
  }
}
