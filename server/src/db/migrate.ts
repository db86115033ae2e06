// Applies the numbered SQL files in migrations/ in order, tracking progress in PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrateResult {
  from: number;
  to: number;
}

/** Read from disk beside this module: the server runs from source under tsx and vitest, never bundled. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** Loads every NNN-name.sql file; their numbers must run 1, 2, 3… with no gap or repeat. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new Error(`Migration file ${file} is not named NNN-name.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migrations must be numbered from 001 without gaps; found ${migration.version} at position ${index + 1}`);
    }
  });
  return migrations;
}

export function currentVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs each migration above the database's user_version, each in its own transaction together
 * with its user_version bump, so a failed migration leaves the database at the previous version.
 * `to` stops early; migration tests use it to seed rows before the migration under test.
 */
export function migrate(
  db: Database,
  options: { migrations?: Migration[]; to?: number } = {},
): MigrateResult {
  const migrations = options.migrations ?? loadMigrations();
  const latest = migrations.length;
  const target = options.to ?? latest;
  const from = currentVersion(db);
  if (from > latest) {
    throw new Error(`Database is at schema version ${from}, newer than this server knows (${latest}); upgrade frictionlens`);
  }
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > target) continue;
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      // user_version is stored in the database header, so it commits or rolls back with the migration.
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (err) {
      throw new Error(`Migration ${String(migration.version).padStart(3, '0')}-${migration.name} failed`, { cause: err });
    }
  }
  return { from, to: currentVersion(db) };
}
