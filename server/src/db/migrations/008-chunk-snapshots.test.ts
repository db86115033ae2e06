import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: 7 });
  db.prepare(`INSERT INTO sites (id, name, key, origins, created_at) VALUES ('s1', 'Shop', 'pk_1', '["self"]', 1000)`).run();
  db.prepare(
    `INSERT INTO sessions (id, site_id, started_at, ended_at, page_count, event_count, entry_url, device, received_at, updated_at)
     VALUES ('sess0001', 's1', 10, 900, 1, 12, 'https://shop.example/', 'desktop', 1000, 1000)`,
  ).run();
  db.prepare(`INSERT INTO pages (session_id, page_id, url, started_at) VALUES ('sess0001', 'page0001', 'https://shop.example/', 10)`).run();
  const chunk = db.prepare(`INSERT INTO chunks (session_id, seq, page_id, first_ts, last_ts, event_count, body, received_at) VALUES ('sess0001', ?, 'page0001', ?, ?, 3, x'1f8b', 1100)`);
  const signals = db.prepare(`INSERT INTO page_signals (session_id, seq, page_id, signals, analyzed_at) VALUES ('sess0001', ?, 'page0001', ?, 1200)`);
  // 0: the page load's Meta and snapshot; 1: only changes; 2: a checkout snapshot after its Meta;
  // 3: a snapshot whose Meta was in the batch before (no viewport in the signal); 4: never analysed.
  [
    [0, 10, 50, [{ k: 'snapshot', t: 12, width: 1280, height: 800 }, { k: 'view', t: 12, url: 'u', title: 't', trigger: 'load' }]],
    [1, 60, 200, [{ k: 'mutation', t: 70, nodes: [1], structural: false, size: 1 }]],
    [2, 300, 400, [{ k: 'mutation', t: 301, nodes: [1], structural: false, size: 1 }, { k: 'snapshot', t: 350, width: 1280, height: 800 }, { k: 'snapshot', t: 390, width: 1280, height: 800 }]],
    [3, 500, 600, [{ k: 'snapshot', t: 510 }]],
  ].forEach(([seq, first, last, list]) => {
    chunk.run(seq, first, last);
    signals.run(seq, JSON.stringify(list));
  });
  chunk.run(4, 700, 900);
});

describe('migration 008-chunk-snapshots', () => {
  it("marks the stored batches whose analysed signals show a full snapshot after a Meta event, at that snapshot's time", () => {
    migrate(db, { to: 8 });
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare('SELECT seq, snapshot_ts FROM chunks ORDER BY seq').all()).toEqual([
      { seq: 0, snapshot_ts: 12 },
      { seq: 1, snapshot_ts: null },
      { seq: 2, snapshot_ts: 350 },
      { seq: 3, snapshot_ts: null },
      { seq: 4, snapshot_ts: null },
    ]);
  });

  it('takes new batches with or without a snapshot time', () => {
    migrate(db, { to: 8 });
    db.prepare(`INSERT INTO chunks (session_id, seq, page_id, first_ts, last_ts, event_count, body, received_at, snapshot_ts) VALUES ('sess0001', 5, 'page0001', 950, 990, 2, x'1f8b', 1300, 951)`).run();
    expect(db.prepare('SELECT snapshot_ts FROM chunks WHERE seq = 5').pluck().get()).toBe(951);
  });
});
