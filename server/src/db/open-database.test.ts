import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from './migrate';
import { openDatabase } from './open-database';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('creates frictionlens.db in the data dir with WAL, foreign keys and the latest schema', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-open-'));
    const db = openDatabase(dir);
    expect(existsSync(join(dir, 'frictionlens.db'))).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    db.close();
    // Reopening an up-to-date file runs nothing and keeps working.
    const again = openDatabase(dir);
    expect(again.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sessions'").pluck().get()).toBe(1);
    again.close();
  });
});
