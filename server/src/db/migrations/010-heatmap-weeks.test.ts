import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 9 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO chunks (session_id, seq, page_id, first_ts, last_ts, event_count, body, received_at) VALUES ('sess0001', 0, 'page0001', 10, 20, 3, x'1f8b', 1000)`).run();
  db.prepare(`INSERT INTO heatmap_pages (id, site_id, path) VALUES (1, 's1', 'https://shop.example/')`).run();
  db.prepare(`INSERT INTO heatmap_selectors (id, selector) VALUES (1, '#buy'), (2, '#other')`).run();
});

function insertClick(day: number, { selector = 1, rage = 0, pageRef = 1 as number | null } = {}): number {
  return Number(
    db
      .prepare(
        `INSERT INTO heatmap_clicks (site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y, bin_x, bin_y,
           x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, rage)
         VALUES ('s1', 'sess0001', 0, 'page0001', 15, ?, 1280, 'desktop', ?, 0.5, 0.5, 10, 10, 640, 300, 5000, 300, 1280, 2000, 0, 'button', ?, ?)`,
      )
      .run(day, selector, pageRef, rage).lastInsertRowid,
  );
}

const weeks = () => db.prepare('SELECT week, selector_id, clicks, rage, sum_x, sum_y FROM heatmap_cell_weeks ORDER BY week, selector_id').all();
/** The per-day cells added up by Monday-based week, as the week rows must always be. */
const daysByWeek = () =>
  db
    .prepare(
      `SELECT CAST(floor((day + 3) / 7.0) AS INTEGER) AS week, selector_id, sum(clicks) AS clicks, sum(rage) AS rage, sum(sum_x) AS sum_x, sum(sum_y) AS sum_y
       FROM heatmap_cell_days GROUP BY week, selector_id ORDER BY week, selector_id`,
    )
    .all();

describe('migration 010-heatmap-weeks', () => {
  it('adds up the per-day cells already stored into Monday-based weeks', () => {
    // Day 0 (Thu 1970-01-01) and day 3 (Sun) are week 0; day 4 (Mon 1970-01-05) starts week 1; day -4 (Sun 1969-12-28) is week -1.
    for (const day of [0, 3, 4, -4, -3]) insertClick(day);
    insertClick(4, { selector: 2, rage: 1 });
    insertClick(9, { pageRef: null });
    migrate(db, { to: 10 });
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(weeks()).toEqual([
      { week: -1, selector_id: 1, clicks: 1, rage: 0, sum_x: 5000, sum_y: 300 },
      { week: 0, selector_id: 1, clicks: 3, rage: 0, sum_x: 15_000, sum_y: 900 },
      { week: 1, selector_id: 1, clicks: 1, rage: 0, sum_x: 5000, sum_y: 300 },
      { week: 1, selector_id: 2, clicks: 1, rage: 1, sum_x: 5000, sum_y: 300 },
    ]);
    expect(weeks()).toEqual(daysByWeek());
  });

  it('keeps the weeks equal to the days as placed clicks come and go, and refuses an update of what they sum', () => {
    migrate(db, { to: 10 });
    const ids = [0, 1, 6, 7, 13, 14, 20, -10].map((day, i) => insertClick(day, { selector: 1 + (i % 2), rage: i % 3 === 0 ? 1 : 0 }));
    insertClick(2, { pageRef: null });
    expect(weeks()).toEqual(daysByWeek());
    expect(db.prepare('SELECT sum(clicks) FROM heatmap_cell_weeks').pluck().get()).toBe(8);
    for (const id of ids.slice(0, 5)) db.prepare('DELETE FROM heatmap_clicks WHERE id = ?').run(id);
    expect(weeks()).toEqual(daysByWeek());
    // Emptied weeks leave no zero rows behind.
    expect(db.prepare('SELECT count(*) FROM heatmap_cell_weeks WHERE clicks = 0').pluck().get()).toBe(0);
    expect(() => db.prepare('UPDATE heatmap_clicks SET day = 30 WHERE id = ?').run(ids[6])).toThrow(/delete and insert/);
    // A session deleted with its batches takes its clicks out of the weeks too.
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0001'`).run();
    expect(weeks()).toEqual([]);
  });
});
