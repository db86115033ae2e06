import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 2 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 10, 20, 3, x'1f8b', 1000)`).run();
});

const count = (sql: string) => db.prepare(sql).pluck().get() as number;

function insertClick(pageRef: number | null, extra: { rage?: number; day?: number; selector?: number } = {}): number {
  return Number(
    db
      .prepare(
        `INSERT INTO heatmap_clicks (site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y, bin_x, bin_y,
           x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, rage)
         VALUES ('s1', 'sess0001', 0, 'page0001', 15, ?, 1280, 'desktop', ?, 0.5, 0.5, 10, 10, 640, 300, 5000, 300, 1280, 2000, 0, 'button', ?, ?)`,
      )
      .run(extra.day ?? 0, extra.selector ?? 1, pageRef, extra.rage ?? 0).lastInsertRowid,
  );
}

describe('migration 003-heatmaps', () => {
  it('gives existing sites no URL patterns and queues stored batches for extraction once', () => {
    db.prepare(`INSERT INTO analysis_queue (session_id, seq, enqueued_at) VALUES ('sess0001', 0, 5)`).run();
    migrate(db, { to: 3 });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT url_patterns FROM sites').pluck().get()).toBe('[]');
    expect(count('SELECT count(*) FROM analysis_queue')).toBe(1);
    expect(() => db.prepare(`UPDATE sites SET url_patterns = 'x'`).run()).toThrow(/CHECK/);
  });

  it('keeps the aggregates equal to the placed clicks as rows come and go, and leaves unplaced ones out', () => {
    migrate(db, { to: 3 });
    db.prepare(`INSERT INTO heatmap_pages (id, site_id, path) VALUES (1, 's1', 'https://shop.example/')`).run();
    db.prepare(`INSERT INTO heatmap_selectors (id, selector) VALUES (1, '#buy'), (2, '#other')`).run();
    insertClick(null);
    const a = insertClick(1, { rage: 1 });
    insertClick(1, { day: 1 });
    insertClick(1, { selector: 2 });
    expect(db.prepare('SELECT selector_id, clicks, rage, sum_x, sum_y FROM heatmap_cells ORDER BY selector_id').all()).toEqual([
      { selector_id: 1, clicks: 2, rage: 1, sum_x: 10_000, sum_y: 600 },
      { selector_id: 2, clicks: 1, rage: 0, sum_x: 5000, sum_y: 300 },
    ]);
    expect(count('SELECT count(*) FROM heatmap_cell_days')).toBe(3);
    expect(db.prepare('SELECT sum(clicks) AS clicks, sum(rage) AS rage FROM heatmap_page_days').get()).toEqual({ clicks: 3, rage: 1 });
    expect(db.prepare(`SELECT clicks, label FROM heatmap_element_days WHERE selector_id = 1 AND day = 0`).get()).toEqual({ clicks: 1, label: 'button' });

    db.prepare('DELETE FROM heatmap_clicks WHERE id = ?').run(a);
    expect(db.prepare('SELECT clicks, rage FROM heatmap_cells WHERE selector_id = 1').get()).toEqual({ clicks: 1, rage: 0 });
    // Cells that fall to zero are removed, so queries never read empty rows.
    expect(count('SELECT count(*) FROM heatmap_cell_days WHERE day = 0 AND selector_id = 1')).toBe(0);
  });

  it('refuses an UPDATE of what the aggregates sum, and empties them when the session is deleted', () => {
    migrate(db, { to: 3 });
    db.prepare(`INSERT INTO heatmap_pages (id, site_id, path) VALUES (1, 's1', 'https://shop.example/')`).run();
    db.prepare(`INSERT INTO heatmap_selectors (id, selector) VALUES (1, '#buy')`).run();
    const id = insertClick(1);
    expect(() => db.prepare('UPDATE heatmap_clicks SET rage = 1 WHERE id = ?').run(id)).toThrow(/delete and insert/);
    db.prepare(
      `INSERT INTO heatmap_scrolls (site_id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold, page_ref, device)
       VALUES ('s1', 'sess0001', 0, 'page0001', 15, 0, 1500, 2000, 800, 15, 400, 1, 'desktop')`,
    ).run();
    expect(db.prepare('SELECT views, sum_fold FROM heatmap_scroll_days').get()).toEqual({ views: 1, sum_fold: 400 });
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0001'`).run();
    for (const table of ['heatmap_clicks', 'heatmap_cells', 'heatmap_cell_days', 'heatmap_element_days', 'heatmap_page_days', 'heatmap_scrolls', 'heatmap_scroll_days']) {
      expect(count(`SELECT count(*) FROM ${table}`), table).toBe(0);
    }
  });

  it('reads a page heatmap from the cells key and an element\'s sessions from an index', () => {
    migrate(db, { to: 3 });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(`SELECT sum(clicks) FROM heatmap_cells WHERE page_ref = 1 AND device = 'desktop' GROUP BY selector_id, bin_x, bin_y`)).toMatch(/USING PRIMARY KEY/);
    expect(plan(`SELECT session_id FROM heatmap_clicks WHERE page_ref = 1 AND device = 'desktop' AND selector_id = 3 AND ts >= 0`)).toMatch(/INDEX heatmap_clicks_element/);
  });
});
