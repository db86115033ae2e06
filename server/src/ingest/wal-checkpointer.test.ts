import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase } from '../db/open-database';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from './wal-checkpointer';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openTemp() {
  const dir = mkdtempSync(join(tmpdir(), 'frictionlens-checkpoint-'));
  dirs.push(dir);
  return { db: openDatabase(dir), path: databasePath(dir) };
}

/** About 2,000 pages into the WAL: past SQLite's default checkpoint, short of the backstop. */
function writePages(db: ReturnType<typeof openDatabase>): void {
  db.exec('CREATE TABLE filler (body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  const blob = Buffer.alloc(3000, 1);
  for (let i = 0; i < 20; i++) db.transaction(() => { for (let j = 0; j < 100; j++) insert.run(blob); })();
}

describe('startWalCheckpointer', () => {
  it('leaves the writer only appending, and copies the WAL into the database file from its worker', async () => {
    const { db, path } = openTemp();
    const checkpointer = startWalCheckpointer(db, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    await checkpointer.stop();
    // Stopped: what is written now stays in the WAL, as the writer does not checkpoint below the backstop.
    const before = statSync(path).size;
    writePages(db);
    expect(statSync(path).size).toBe(before);

    const running = startWalCheckpointer(db, 20);
    // The worker's checkpoint is seen in the database file growing; waited for, not timed.
    while (statSync(path).size < before + 2000 * 4096) await sleep(20);
    await running.stop();
    db.close();
  });

  it('closes its connection on stop, so the server closing last removes the WAL', async () => {
    const { db, path } = openTemp();
    const checkpointer = startWalCheckpointer(db, 20);
    writePages(db);
    await checkpointer.stop();
    db.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
