import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 1 });
  db.prepare(`INSERT INTO sites VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 1, 'page0001', 15, 20, 1, x'1f8b', 1200)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 10, 14, 2, x'1f8b', 1100)`).run();
});

const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('migration 002-analysis', () => {
  it('queues the batches stored before it, oldest first, and adds zeroed friction totals to existing sessions', () => {
    migrate(db, { to: 2 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT seq, enqueued_at, claimed_until, attempts FROM analysis_queue ORDER BY id').all()).toEqual([
      { seq: 0, enqueued_at: 1100, claimed_until: 0, attempts: 0 },
      { seq: 1, enqueued_at: 1200, claimed_until: 0, attempts: 0 },
    ]);
    expect(db.prepare('SELECT rage_clicks, dead_clicks, form_abandonments, error_loops, frustration_score, error_count, user_id FROM sessions').get()).toEqual({
      rage_clicks: 0, dead_clicks: 0, form_abandonments: 0, error_loops: 0, frustration_score: 0, error_count: 0, user_id: null,
    });
    expect(columns('pages')).toEqual(expect.arrayContaining(['final_seq', 'completed_at', 'error_count', 'user_id']));
  });

  it('deleting a session removes its queue rows, signals, skips and friction', () => {
    migrate(db, { to: 2 });
    db.prepare(`INSERT INTO page_signals VALUES ('sess0001', 0, 'page0001', '[]', 1)`).run();
    db.prepare(`INSERT INTO analysis_skipped VALUES ('sess0001', 1, 'bad', 1)`).run();
    db.prepare(`INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, reason, details) VALUES ('s1', 'sess0001', 'page0001', 'dead_click', 12, 'u', 'u', 'r', '{}')`).run();
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0001'`).run();
    for (const table of ['analysis_queue', 'page_signals', 'analysis_skipped', 'friction']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it('refuses unknown friction types and details that are not JSON', () => {
    migrate(db, { to: 2 });
    const insert = (type: string, details: string) =>
      db.prepare(`INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, reason, details) VALUES ('s1', 'sess0001', 'page0001', ?, 1, 'u', 'u', 'r', ?)`).run(type, details);
    expect(() => insert('angry_click', '{}')).toThrow(/CHECK/);
    expect(() => insert('dead_click', 'nope')).toThrow(/CHECK/);
  });

  it('serves the frustration-ranked list and idle-page lookups from indexes', () => {
    migrate(db, { to: 2 });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(`SELECT id FROM sessions WHERE site_id = 's1' ORDER BY frustration_score DESC, started_at DESC, id DESC LIMIT 10`)).toMatch(/INDEX sessions_site_score/);
    expect(plan(`SELECT session_id FROM pages WHERE completed_at IS NULL`)).toMatch(/INDEX pages_open/);
  });
});
