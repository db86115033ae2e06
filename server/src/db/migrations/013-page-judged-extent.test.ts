import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createPageSignalsRepo } from '../../repos/page-signals-repo';
import { migrate } from '../migrate';

describe('migration 013-page-judged-extent', () => {
  it('adds how far each page was judged, unknown for pages judged before it, so they are judged afresh', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, { to: 12 });
    db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
    db.prepare(`INSERT INTO sessions (id, site_id, started_at, ended_at, entry_url, device, received_at, updated_at) VALUES ('session-1', 's1', 1, 2, 'https://shop.example/', 'desktop', 1, 1)`).run();
    db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at, completed_at) VALUES ('session-1', 'p1', 'https://shop.example/', 1, 500)`).run();
    migrate(db, { to: 13 });
    expect(db.pragma('user_version', { simple: true })).toBe(13);
    expect(createPageSignalsRepo(db).state('session-1', 'p1')).toMatchObject({ completedAt: 500, judgedThrough: null, lastActiveAt: null, judgedBatches: null });
    db.close();
  });
});
