import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 5 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
});

describe('migration 006-session-caps', () => {
  it('gives existing sessions an inflated size of 0, counted from then on', () => {
    migrate(db, { to: 6 });
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT id, event_count, inflated_bytes FROM sessions').all()).toEqual([{ id: 'sess0001', event_count: 3, inflated_bytes: 0 }]);
    db.prepare(`UPDATE sessions SET inflated_bytes = inflated_bytes + 500 WHERE id = 'sess0001'`).run();
    expect(db.prepare('SELECT inflated_bytes FROM sessions').pluck().get()).toBe(500);
  });
});
