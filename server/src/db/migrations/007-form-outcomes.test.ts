import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 6 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 20, 1, 3, 'https://shop.example/checkout', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES ('sess0001', 'page0001', 'https://shop.example/checkout', 10)`).run();
  db.prepare(`INSERT INTO chunks VALUES ('sess0001', 0, 'page0001', 10, 20, 3, x'1f8b', 1000)`).run();
});

const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function seedOutcome(): void {
  db.prepare(
    `INSERT INTO form_outcomes (session_id, page_id, form, path, site_id, submitted, abandoned, ts, drop_off_field)
     VALUES ('sess0001', 'page0001', '#checkout-form', 'https://shop.example/checkout', 's1', 0, 1, 15, '#postcode')`,
  ).run();
  db.prepare(`INSERT INTO form_outcome_fields VALUES ('sess0001', 'page0001', '#checkout-form', 'https://shop.example/checkout', '#postcode', 'Postcode')`).run();
  db.prepare(`INSERT INTO form_outcome_errors VALUES ('sess0001', 'page0001', '#checkout-form', 'https://shop.example/checkout', '#postcode', 'Enter a valid postcode.')`).run();
}

describe('migration 007-form-outcomes', () => {
  it('queues the stored batches once more, so the forms of sessions recorded before are counted', () => {
    migrate(db, { to: 7 });
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare('SELECT session_id, seq, enqueued_at FROM analysis_queue').all()).toEqual([{ session_id: 'sess0001', seq: 0, enqueued_at: 1000 }]);
  });

  it('refuses an outcome that is neither submitted nor abandoned, and fields of an outcome that does not exist', () => {
    migrate(db, { to: 7 });
    const insert = db.prepare(
      `INSERT INTO form_outcomes (session_id, page_id, form, path, site_id, submitted, abandoned, ts) VALUES ('sess0001', 'page0001', ?, 'https://shop.example/checkout', 's1', ?, ?, 15)`,
    );
    expect(() => insert.run('#a', 0, 0)).toThrow(/CHECK/);
    expect(() => insert.run('#b', 2, 0)).toThrow(/CHECK/);
    insert.run('#c', 1, 1);
    expect(() => db.prepare(`INSERT INTO form_outcome_fields VALUES ('sess0001', 'page0001', '#gone', 'x', '#f', '')`).run()).toThrow(/FOREIGN KEY/);
  });

  it('removes an outcome’s fields and messages with it, and everything with the page’s session', () => {
    migrate(db, { to: 7 });
    seedOutcome();
    db.prepare('DELETE FROM form_outcomes').run();
    expect(count('form_outcome_fields') + count('form_outcome_errors')).toBe(0);
    seedOutcome();
    db.prepare(`DELETE FROM sessions WHERE id = 'sess0001'`).run();
    for (const table of ['form_outcomes', 'form_outcome_fields', 'form_outcome_errors']) expect(count(table), table).toBe(0);
  });

  it('finds a site’s outcomes of one form on an index', () => {
    migrate(db, { to: 7 });
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM form_outcomes WHERE site_id = 's1' AND form = '#f' AND path = 'p'`).all() as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join('\n')).toContain('form_outcomes_form');
  });
});
