// Applies the numbered PostgreSQL migrations in order, once, even when several nodes start together.
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';
import { loadMigrations, type MigrateResult, type Migration } from '../migrate';

/** Read from disk beside this module, like the SQLite migrations (the server runs from source). */
export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * The advisory lock every migrating node takes: an arbitrary constant ("frln" in ASCII), the same
 * in every release. A transaction-level lock is let go by COMMIT or ROLLBACK, and by PostgreSQL
 * when a node dies mid-migration, so a crash never leaves the others waiting.
 */
export const MIGRATION_LOCK_KEY = 0x66726c6e;

/** Same file naming and gap rules as the SQLite migrations; the files differ. */
export function loadPostgresMigrations(dir: string = POSTGRES_MIGRATIONS_DIR): Migration[] {
  return loadMigrations(dir);
}

/** Takes the lock and reads the versions applied, creating their table on the very first run. */
async function lockAndReadVersions(client: PoolClient): Promise<number[]> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version integer PRIMARY KEY,
       name text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((row) => row.version);
}

function latestOf(versions: number[]): number {
  return versions.length === 0 ? 0 : Math.max(...versions);
}

/**
 * Each migration runs in its own transaction together with its schema_migrations row, under the
 * advisory lock, and re-reads what is applied once it holds the lock: a node that waited behind
 * another finds the work done and applies nothing. `to` stops early, as in the SQLite migrate.
 */
export async function migratePostgres(
  pool: Pool,
  options: { migrations?: Migration[]; to?: number } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadPostgresMigrations();
  const latest = migrations.length;
  const target = options.to ?? latest;
  const client = await pool.connect();
  try {
    let from = 0;
    for (let index = 0; ; index++) {
      await client.query('BEGIN');
      try {
        const applied = await lockAndReadVersions(client);
        if (index === 0) {
          from = latestOf(applied);
          if (from > latest) {
            throw new Error(`Database is at schema version ${from}, newer than this server knows (${latest}); upgrade frictionlens`);
          }
        }
        const next = migrations.find((migration) => migration.version <= target && !applied.includes(migration.version));
        if (!next) {
          await client.query('COMMIT');
          return { from, to: latestOf(applied) };
        }
        try {
          await client.query(next.sql);
        } catch (err) {
          throw new Error(`Migration ${String(next.version).padStart(3, '0')}-${next.name} failed`, { cause: err });
        }
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    client.release();
  }
}
