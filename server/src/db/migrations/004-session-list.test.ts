import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 3 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
});

const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');

describe('migration 004-session-list', () => {
  it('leaves existing sessions unwatched', () => {
    migrate(db, { to: 4 });
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT id, watched_at FROM sessions').all()).toEqual([{ id: 'sess0001', watched_at: null }]);
  });

  it('pages through the longest-first list with a seek on the duration index', () => {
    migrate(db, { to: 4 });
    const longest = plan(
      `SELECT id FROM sessions WHERE site_id = 's1' AND (ended_at - started_at) <= 5 AND ((ended_at - started_at) < 5 OR id < 'x')
       ORDER BY ended_at - started_at DESC, id DESC LIMIT 10`,
    );
    expect(longest).toMatch(/INDEX sessions_site_duration \(site_id=\? AND <expr><\?\)/);
    expect(longest).not.toMatch(/TEMP B-TREE/);
  });
});
