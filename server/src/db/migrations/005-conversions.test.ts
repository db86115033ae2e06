import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 4 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/?utm_source=news', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 10, 20, 3, x'1f8b', 1000)`).run();
});

const count = (sql: string) => db.prepare(sql).pluck().get() as number;
const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');

function seedGoal(): void {
  db.prepare(`INSERT INTO goals (id, site_id, name, kind, url_pattern, created_at, updated_at) VALUES ('g1', 's1', 'Order', 'page', '/thanks*', 1, 1)`).run();
  db.prepare(`INSERT INTO goal_completions VALUES ('g1', 'sess0001', 'page0001', 15)`).run();
  db.prepare(`INSERT INTO goal_jobs (goal_id, goal_version, total, created_at) VALUES ('g1', 1, 1, 1)`).run();
  db.prepare(`INSERT OR IGNORE INTO funnels (id, site_id, name, steps, created_at, updated_at) VALUES ('f1', 's1', 'Buy', '[{"kind":"page","pattern":"/"},{"kind":"event","event":"buy"}]', 1, 1)`).run();
  db.prepare(`INSERT INTO page_visits VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO tracked_events VALUES ('sess0001', 'page0001', 'buy', 12)`).run();
  db.prepare(`INSERT INTO session_sources VALUES ('sess0001', 'page0001', 10, 'news.example', 'news')`).run();
}

describe('migration 005-conversions', () => {
  it('queues the stored batches once more, so the pass reads visits, tracked events and sources of older sessions', () => {
    db.prepare(`INSERT INTO analysis_queue (session_id, seq, enqueued_at) VALUES ('sess0001', 0, 5)`).run();
    db.prepare(`INSERT INTO chunks VALUES ('sess0001', 1, 'page0001', 21, 30, 3, x'1f8b', 1100)`).run();
    migrate(db, { to: 5 });
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare('SELECT seq, enqueued_at FROM analysis_queue ORDER BY seq').all()).toEqual([
      { seq: 0, enqueued_at: 5 },
      { seq: 1, enqueued_at: 1100 },
    ]);
  });

  it('refuses a goal without what its kind needs, and a funnel of fewer than two steps', () => {
    migrate(db, { to: 5 });
    const goal = db.prepare(`INSERT INTO goals (id, site_id, name, kind, url_pattern, event_name, form_selector, created_at, updated_at) VALUES (?, 's1', 'g', ?, ?, ?, ?, 1, 1)`);
    expect(() => goal.run('a', 'page', null, 'x', null)).toThrow(/CHECK/);
    expect(() => goal.run('b', 'form', '/checkout', null, null)).toThrow(/CHECK/);
    expect(() => goal.run('c', 'click', '/x', null, null)).toThrow(/CHECK/);
    goal.run('d', 'form', '/checkout', null, '#checkout-form');
    const funnel = db.prepare(`INSERT INTO funnels (id, site_id, name, steps, created_at, updated_at) VALUES ('f', 's1', 'f', ?, 1, 1)`);
    expect(() => funnel.run('[{"kind":"page","pattern":"/"}]')).toThrow(/CHECK/);
    expect(() => funnel.run('not json')).toThrow(/CHECK/);
  });

  it('deleting a goal removes its completions and job; deleting a session removes every fact about it', () => {
    migrate(db, { to: 5 });
    seedGoal();
    db.prepare(`DELETE FROM goals WHERE id = 'g1'`).run();
    expect(count('SELECT count(*) FROM goal_completions') + count('SELECT count(*) FROM goal_jobs')).toBe(0);
    db.prepare(`INSERT INTO goals (id, site_id, name, kind, url_pattern, created_at, updated_at) VALUES ('g1', 's1', 'Order', 'page', '/thanks*', 1, 1)`).run();
    db.prepare(`INSERT INTO goal_completions VALUES ('g1', 'sess0001', 'page0001', 15)`).run();
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0001'`).run();
    for (const table of ['goal_completions', 'page_visits', 'tracked_events', 'session_sources']) expect(count(`SELECT count(*) FROM ${table}`), table).toBe(0);
    expect(count('SELECT count(*) FROM goals') + count('SELECT count(*) FROM funnels')).toBe(2);
    db.prepare(`DELETE FROM sites WHERE id = 's1'`).run();
    expect(count('SELECT count(*) FROM goals') + count('SELECT count(*) FROM funnels')).toBe(0);
  });

  it('walks a site’s sessions in id order and a goal’s completions by session range on indexes', () => {
    migrate(db, { to: 5 });
    expect(plan(`SELECT id FROM sessions WHERE site_id = 's1' AND id > 'a' ORDER BY id LIMIT 10`)).toContain('sessions_site_id');
    expect(plan(`DELETE FROM goal_completions WHERE goal_id = 'g1' AND session_id > 'a' AND session_id <= 'b'`)).toMatch(/PRIMARY KEY|goal_completions/);
  });
});
