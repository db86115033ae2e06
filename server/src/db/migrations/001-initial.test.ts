import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 1 });
});

function seed(): void {
  db.prepare(`INSERT INTO sites VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 10, 20, 3, x'1f8b', 1000)`).run();
}

describe('migration 001-initial', () => {
  it('sets user_version 1 and creates the four tables and the session index', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const names = db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all();
    expect(names).toEqual(['chunks', 'pages', 'sessions', 'sessions_site_started', 'sites']);
  });

  it('stores and reads back seeded rows', () => {
    seed();
    const session = db.prepare('SELECT * FROM sessions WHERE id = ?').get('sess0001') as Record<string, unknown>;
    expect(session).toMatchObject({ site_id: 's1', started_at: 10, ended_at: 20, page_count: 1, event_count: 3, browser: null });
    const chunk = db.prepare('SELECT body FROM chunks WHERE session_id = ? AND seq = 0').get('sess0001') as { body: Buffer };
    expect(Buffer.compare(chunk.body, Buffer.from([0x1f, 0x8b]))).toBe(0);
  });

  it('enforces key uniqueness, strict types, JSON origins and foreign keys', () => {
    seed();
    expect(() => db.prepare(`INSERT INTO sites VALUES ('s2', 'Other', 'pk_1', '[]', 1)`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO sites VALUES ('s3', 'Other', 'pk_3', 'not json', 1)`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO sites VALUES ('s4', 'Other', 'pk_4', '[]', 'yesterday')`).run()).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare(`INSERT INTO pages VALUES ('nosuchsession', 'p', 'u', 1)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO chunks VALUES ('sess0001', 1, 'nosuchpage', 1, 2, 1, x'00', 1)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 1, 2, 1, x'00', 1)`).run()).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('deleting a site removes its sessions, pages and chunks', () => {
    seed();
    db.prepare(`DELETE FROM sites WHERE id = 's1'`).run();
    for (const table of ['sessions', 'pages', 'chunks']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it('serves the newest-first session list from the index', () => {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM sessions WHERE site_id = ? ORDER BY started_at DESC, id DESC LIMIT 10`)
      .all('s1') as { detail: string }[];
    const details = plan.map((row) => row.detail).join('\n');
    expect(details).toMatch(/USING (COVERING )?INDEX sessions_site_started/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });
});
