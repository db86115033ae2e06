import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

describe('openDatabase file permissions', () => {
  it('creates the database, its WAL and shared memory readable by the owner only, whatever the umask', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-open-'));
    const previous = process.umask(0o022);
    try {
      const db = openDatabase(dir);
      db.prepare('CREATE TABLE t (x)').run();
      for (const suffix of ['', '-wal', '-shm']) expect(statSync(join(dir, `frictionlens.db${suffix}`)).mode & 0o777).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens the files of an older installation left readable by everyone', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-open-'));
    openDatabase(dir).close();
    chmodSync(join(dir, 'frictionlens.db'), 0o644);
    const db = openDatabase(dir);
    expect(statSync(join(dir, 'frictionlens.db')).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('takes busy_timeout from its options', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-open-'));
    const db = openDatabase(dir, { busyTimeoutMs: 250 });
    expect(db.pragma('busy_timeout', { simple: true })).toBe(250);
    db.close();
  });
});
