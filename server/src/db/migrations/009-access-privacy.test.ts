import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 8 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
});

describe('migration 009-access-privacy', () => {
  it('keeps existing sites until their sessions are deleted (no retention period), and takes 1 to 3650 days', () => {
    migrate(db, { to: 9 });
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare('SELECT id, retention_days FROM sites').all()).toEqual([{ id: 's1', retention_days: null }]);
    const set = db.prepare(`UPDATE sites SET retention_days = ? WHERE id = 's1'`);
    set.run(30);
    expect(db.prepare('SELECT retention_days FROM sites').pluck().get()).toBe(30);
    expect(() => set.run(0)).toThrow(/CHECK/);
    expect(() => set.run(3651)).toThrow(/CHECK/);
  });

  it('stores sign-in sessions by their hash, one row each', () => {
    migrate(db, { to: 9 });
    const insert = db.prepare('INSERT INTO admin_sessions (id_hash, created_at, last_used_at, expires_at) VALUES (?, 1, 1, 2)');
    insert.run('ab12');
    expect(() => insert.run('ab12')).toThrow(/UNIQUE|PRIMARY/);
    expect(db.prepare('SELECT count(*) FROM admin_sessions').pluck().get()).toBe(1);
  });
});
