import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { useMigratedPostgres } from '../../../../test/support/migrated-postgres';
import { skipWithoutPostgres } from '../../../../test/support/start-postgres';

/** Day 20000 (2024-10-04, a Friday) falls in ISO week 2857 by SQLite 010's formula. */
const DAY = 20000;

describe.skipIf(skipWithoutPostgres())('PostgreSQL triggers and cascades', () => {
  const postgres = useMigratedPostgres();

  beforeEach(async () => {
    await postgres.pool().query('DELETE FROM sites');
    await postgres.pool().query(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('site', 'Shop', 'pk_shop', '["self"]', 0)`);
    await postgres.pool().query(
      `INSERT INTO sessions (site_id, id, started_at, ended_at, entry_url, device, received_at, updated_at)
       VALUES ('site', 's1', 1000, 2000, 'https://shop.test/', 'desktop', 5000, 5000)`,
    );
    await postgres.pool().query(`INSERT INTO pages (site_id, session_id, page_id, url, started_at) VALUES ('site', 's1', 'p1', 'https://shop.test/cart', 1000)`);
  });

  const one = async (sql: string, params: unknown[] = []) => (await postgres.pool().query(sql, params)).rows[0];
  const count = async (table: string) => (await one(`SELECT count(*)::int AS n FROM ${table}`)).n as number;

  it('computes the ISO week of a day as SQLite 010 does, before day 0 too', async () => {
    const sqlite = new Database(':memory:');
    const sqliteWeek = sqlite.prepare<[number, number], number>('SELECT (? + 3 - (((? + 3) % 7) + 7) % 7) / 7');
    const days = [-11, -10, -4, -3, -1, 0, 3, 4, 10, 11, DAY];
    const expected = days.map((day) => sqliteWeek.pluck().get(day, day));
    sqlite.close();
    const { rows } = await postgres.pool().query<{ week: number }>('SELECT heatmap_week(d) AS week FROM unnest($1::int[]) d', [days]);
    expect(rows.map((row) => row.week)).toEqual(expected);
    expect(expected.at(-1)).toBe(2857);
  });

  it('keeps the click aggregates equal to the placed clicks, and refuses an update of what they sum', async () => {
    const page = (await one(`INSERT INTO heatmap_pages (site_id, path) VALUES ('site', 'https://shop.test/cart') RETURNING id`)).id;
    const selector = (await one(`INSERT INTO heatmap_selectors (site_id, selector) VALUES ('site', '#pay') RETURNING id`)).id;
    const insertClick = (pageRef: string | null, rage: boolean) =>
      one(
        `INSERT INTO heatmap_clicks (site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
           bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, label, page_ref, rage)
         VALUES ('site', 's1', 0, 'p1', 1500, $1, 1280, 'desktop', $2, 0.5, 0.5, 8, 8, 100, 200, 5000, 200, 1280, 3000, false,
           'button "Pay"', $3, $4) RETURNING id`,
        [DAY, selector, pageRef, rage],
      );
    const first = (await insertClick(page, true)).id;
    await insertClick(page, false);
    await insertClick(null, true);

    const cell = await one('SELECT clicks, rage, sum_x::int AS sum_x, sum_y::int AS sum_y FROM heatmap_cells');
    expect(cell).toEqual({ clicks: 2, rage: 1, sum_x: 10000, sum_y: 400 });
    expect(await one('SELECT day, clicks FROM heatmap_cell_days')).toEqual({ day: DAY, clicks: 2 });
    expect(await one('SELECT week, clicks FROM heatmap_cell_weeks')).toEqual({ week: 2857, clicks: 2 });
    expect(await one('SELECT clicks, rage, label FROM heatmap_element_days')).toEqual({ clicks: 2, rage: 1, label: 'button "Pay"' });
    expect(await one('SELECT clicks, rage FROM heatmap_page_days')).toEqual({ clicks: 2, rage: 1 });

    await expect(postgres.pool().query('UPDATE heatmap_clicks SET rage = false WHERE id = $1', [first])).rejects.toThrow(
      'heatmap_clicks rows are placed again by delete and insert',
    );
    await postgres.pool().query('DELETE FROM heatmap_clicks WHERE id = $1', [first]);
    expect(await one('SELECT clicks, rage FROM heatmap_cells')).toEqual({ clicks: 1, rage: 0 });
    expect(await one('SELECT clicks FROM heatmap_cell_weeks')).toEqual({ clicks: 1 });

    // Deleting the session cascades through its page to the clicks, and the triggers empty every aggregate.
    await postgres.pool().query(`DELETE FROM sessions WHERE id = 's1'`);
    for (const table of ['heatmap_clicks', 'heatmap_cells', 'heatmap_cell_days', 'heatmap_cell_weeks', 'heatmap_element_days', 'heatmap_page_days']) {
      expect(await count(table), table).toBe(0);
    }
  });

  it('counts only scroll depths placed with a device, and uncounts them when deleted', async () => {
    const page = (await one(`INSERT INTO heatmap_pages (site_id, path) VALUES ('site', 'https://shop.test/cart') RETURNING id`)).id;
    const insertScroll = (pageRef: string | null, device: string | null) =>
      one(
        `INSERT INTO heatmap_scrolls (site_id, session_id, seq, page_id, ts, day, max_y, document_height, viewport_height, step, fold, page_ref, device)
         VALUES ('site', 's1', 0, 'p1', 1500, $1, 2400, 3000, 800, 16, 266, $2, $3) RETURNING id`,
        [DAY, pageRef, device],
      );
    const placed = (await insertScroll(page, 'mobile')).id;
    await insertScroll(page, null);
    await insertScroll(null, null);
    expect(await one('SELECT step, views, sum_fold::int AS fold, sum_viewport_height::int AS height FROM heatmap_scroll_days')).toEqual({
      step: 16,
      views: 1,
      fold: 266,
      height: 800,
    });
    await postgres.pool().query('DELETE FROM heatmap_scrolls WHERE id = $1', [placed]);
    expect(await count('heatmap_scroll_days')).toBe(0);
  });

  it("keeps conversion_reach: one row per session and URL visited or flagged, following the session's start", async () => {
    const reach = () => postgres.pool().query(`SELECT url, started_at::int AS started, refs FROM conversion_reach ORDER BY url`).then((result) => result.rows);
    await postgres.pool().query(`INSERT INTO page_visits (site_id, session_id, page_id, url, ts) VALUES ('site', 's1', 'p1', 'https://shop.test/cart', 1000)`);
    await postgres.pool().query(
      `INSERT INTO friction (site_id, session_id, page_id, type, ts, url, path, reason, details)
       VALUES ('site', 's1', 'p1', 'rage_click', 1200, 'https://shop.test/cart?x=1', 'https://shop.test/cart', 'five clicks', '{}')`,
    );
    expect(await reach()).toEqual([{ url: 'https://shop.test/cart', started: 1000, refs: 2 }]);

    await postgres.pool().query(`UPDATE sessions SET started_at = 500 WHERE id = 's1'`);
    expect(await reach()).toEqual([{ url: 'https://shop.test/cart', started: 500, refs: 2 }]);

    await postgres.pool().query(`DELETE FROM page_visits`);
    expect(await reach()).toEqual([{ url: 'https://shop.test/cart', started: 500, refs: 1 }]);
    await postgres.pool().query(`DELETE FROM friction`);
    expect(await reach()).toEqual([]);

    await postgres.pool().query(`INSERT INTO page_visits (site_id, session_id, page_id, url, ts) VALUES ('site', 's1', 'p1', 'https://shop.test/', 1000)`);
    await postgres.pool().query(`DELETE FROM sessions WHERE id = 's1'`);
    expect(await reach()).toEqual([]);
  });

  it("deletes every row of a site with the site, heatmap pages and selectors included", async () => {
    const page = (await one(`INSERT INTO heatmap_pages (site_id, path) VALUES ('site', 'https://shop.test/cart') RETURNING id`)).id;
    const selector = (await one(`INSERT INTO heatmap_selectors (site_id, selector) VALUES ('site', '#pay') RETURNING id`)).id;
    await postgres.pool().query(
      `INSERT INTO heatmap_clicks (site_id, session_id, seq, page_id, ts, day, viewport_width, device, selector_id, offset_x, offset_y,
         bin_x, bin_y, x, y, fallback_x, fallback_y, document_width, document_height, fixed, page_ref)
       VALUES ('site', 's1', 0, 'p1', 1500, $1, 1280, 'desktop', $2, 0.5, 0.5, 8, 8, 100, 200, 5000, 200, 1280, 3000, false, $3)`,
      [DAY, selector, page],
    );
    await postgres.pool().query(
      `INSERT INTO heatmap_loads (site_id, session_id, page_id, page_ref, device, width, height, snapshot_ts, complete)
       VALUES ('site', 's1', 'p1', $1, 'desktop', 1280, 800, 1000, true)`,
      [page],
    );
    await postgres.pool().query(
      `INSERT INTO chunks (site_id, session_id, seq, session_received_at, page_id, first_ts, last_ts, event_count, body, received_at)
       VALUES ('site', 's1', 0, 5000, 'p1', 1000, 2000, 3, '\\x1f8b', 5000)`,
    );
    await postgres.pool().query(`INSERT INTO page_visits (site_id, session_id, page_id, url, ts) VALUES ('site', 's1', 'p1', 'https://shop.test/cart', 1000)`);

    await postgres.pool().query(`DELETE FROM sites WHERE id = 'site'`);
    const { rows } = await postgres.pool().query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('admin_sessions', 'schema_migrations')`,
    );
    const left: string[] = [];
    for (const { table } of rows) if ((await count(table)) > 0) left.push(table);
    expect(rows.length).toBeGreaterThan(25);
    expect(left).toEqual([]);
  });
});
