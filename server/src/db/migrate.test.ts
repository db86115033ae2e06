import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { currentVersion, loadMigrations, migrate } from './migrate';

const dirs: string[] = [];
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fl-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrate', () => {
  it('brings a new database to the latest version, and a second run does nothing', () => {
    const db = new Database(':memory:');
    const latest = loadMigrations().length;
    expect(migrate(db)).toEqual({ from: 0, to: latest });
    expect(migrate(db)).toEqual({ from: latest, to: latest });
    expect(currentVersion(db)).toBe(latest);
  });

  it('applies files in numeric order and records each version', () => {
    const dir = migrationsDir({
      '002-second.sql': 'INSERT INTO t VALUES (2);',
      '001-first.sql': 'CREATE TABLE t (n INTEGER) STRICT; INSERT INTO t VALUES (1);',
    });
    const db = new Database(':memory:');
    expect(migrate(db, { migrations: loadMigrations(dir), to: 1 })).toEqual({ from: 0, to: 1 });
    expect(migrate(db, { migrations: loadMigrations(dir) })).toEqual({ from: 1, to: 2 });
    expect(db.prepare('SELECT n FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2]);
  });

  it('rolls back a failing migration and leaves the version where it was', () => {
    const dir = migrationsDir({
      '001-first.sql': 'CREATE TABLE t (n INTEGER) STRICT;',
      '002-broken.sql': 'INSERT INTO t VALUES (2); INSERT INTO missing VALUES (1);',
    });
    const db = new Database(':memory:');
    expect(() => migrate(db, { migrations: loadMigrations(dir) })).toThrow(/Migration 002-broken failed/);
    expect(currentVersion(db)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  });

  it('refuses gaps in numbering and badly named files', () => {
    expect(() => loadMigrations(migrationsDir({ '001-a.sql': '', '003-c.sql': '' }))).toThrow(/without gaps/);
    expect(() => loadMigrations(migrationsDir({ '1-a.sql': '' }))).toThrow(/not named NNN-name.sql/);
  });

  it('refuses a database newer than the code', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer than this server knows/);
  });
});
