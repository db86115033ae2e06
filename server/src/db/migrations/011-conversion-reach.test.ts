import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
const reach = () => db.prepare('SELECT session_id, url, site_id, started_at, refs FROM conversion_reach ORDER BY session_id, url').raw().all();

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 10 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  for (const id of ['sess0001', 'sess0002']) {
    db.prepare(
      `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
       VALUES (?, 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
    ).run(id);
    for (const page of ['p1', 'p2']) db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES (?, ?, 'https://shop.example/', 10)`).run(id, page);
  }
});

const visit = (session: string, page: string, url: string) => db.prepare('INSERT INTO page_visits (session_id, page_id, url, ts) VALUES (?, ?, ?, 15)').run(session, page, url);
const flag = (session: string, page: string, path: string) =>
  db.prepare(`INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, reason, details) VALUES ('s1', ?, ?, 'dead_click', 16, ?, ?, 'r', '{}')`).run(session, page, path, path);

describe('migration 011', () => {
  it('fills conversion_reach from the visits and flags stored before, once per session and URL', () => {
    visit('sess0001', 'p1', 'https://shop.example/a');
    visit('sess0001', 'p2', 'https://shop.example/a');
    flag('sess0001', 'p2', 'https://shop.example/b');
    migrate(db, { to: 11 });
    expect(reach()).toEqual([
      ['sess0001', 'https://shop.example/a', 's1', 10, 2],
      ['sess0001', 'https://shop.example/b', 's1', 10, 1],
    ]);
  });

  it('keeps it with the visits and flags, the session start and deletions', () => {
    migrate(db, { to: 11 });
    visit('sess0002', 'p1', 'https://shop.example/a');
    visit('sess0002', 'p2', 'https://shop.example/a');
    flag('sess0002', 'p1', 'https://shop.example/a');
    expect(reach()).toEqual([['sess0002', 'https://shop.example/a', 's1', 10, 3]]);
    db.prepare(`DELETE FROM page_visits WHERE session_id = 'sess0002' AND page_id = 'p1'`).run();
    db.prepare(`UPDATE sessions SET started_at = 5 WHERE id = 'sess0002'`).run();
    expect(reach()).toEqual([['sess0002', 'https://shop.example/a', 's1', 5, 2]]);
    db.prepare(`DELETE FROM friction WHERE session_id = 'sess0002'`).run();
    db.prepare(`DELETE FROM page_visits WHERE session_id = 'sess0002'`).run();
    expect(reach()).toEqual([]);
    visit('sess0002', 'p2', 'https://shop.example/c');
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0002'`).run();
    expect(reach()).toEqual([]);
  });
});
