import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSessionDeletionRepo } from '../../repos/session-deletion-repo';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 11 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  const session = db.prepare(`INSERT INTO sessions (id, site_id, started_at, ended_at, entry_url, device, received_at, updated_at, user_id) VALUES (?, 's1', 1, 2, 'https://shop.example/', 'desktop', 1, 1, ?)`);
  const page = db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at, user_id) VALUES (?, ?, 'https://shop.example/', 1, ?)`);
  // ann on a first page, then bob on a later one: the session's user is bob, but ann is in it.
  session.run('session-1', 'bob');
  page.run('session-1', 'p1', 'ann');
  page.run('session-1', 'p2', 'bob');
  session.run('session-2', null);
  page.run('session-2', 'p1', null);
});

/** The plan of the pages half of the deletion repo's user lookup. */
const planOfPagesByUser = () =>
  (db.prepare('EXPLAIN QUERY PLAN SELECT p.session_id FROM pages p JOIN sessions s ON s.id = p.session_id WHERE s.site_id = ? AND p.user_id = ?').all('s1', 'ann') as Array<{ detail: string }>).map((row) => row.detail).join('\n');

describe('migration 012-pages-user-index', () => {
  it('finds the pages of a user id through an index instead of scanning every page, with the same answer', () => {
    // Before: every session of the site, then each one's pages, read to compare their user ids.
    expect(planOfPagesByUser()).not.toMatch(/user_id=/);
    const before = createSessionDeletionRepo(db).userSessionIds('s1', 'ann', 50);
    migrate(db, { to: 12 });
    expect(db.pragma('user_version', { simple: true })).toBe(12);
    expect(planOfPagesByUser()).toMatch(/SEARCH p USING INDEX pages_user \(user_id=\?\)/);
    expect(createSessionDeletionRepo(db).userSessionIds('s1', 'ann', 50)).toEqual(before);
    expect(before).toEqual(['session-1']);
  });
});
