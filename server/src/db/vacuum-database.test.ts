import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { createRepos } from '../repos/create-repos';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { createRetentionJob } from '../retention/retention-job';
import { gzipJson, makeBatch, postIngest, sampleEvents, TEST_ADMIN_TOKEN } from '../testing/test-app';
import { databasePath, openDatabase } from './open-database';
import { vacuumDatabase } from './vacuum-database';

const T0 = 1_700_000_000_000;
const SESSIONS = 6;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-vacuum-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A database as an older version left it: the file written before auto_vacuum was turned on (so it
 * is NONE), then brought to today's schema, holding sessions of incompressible batches, half of them
 * deleted (their pages free inside the file).
 */
/** Each stored batch as session, seq and a digest of its body (comparing the bodies' bytes one by one is slow). */
function storedBatches(db: Database.Database): string[] {
  const rows = db.prepare('SELECT session_id, seq, body FROM chunks ORDER BY session_id, seq').all() as Array<{ session_id: string; seq: number; body: Buffer }>;
  return rows.map((row) => `${row.session_id}/${row.seq}/${createHash('sha256').update(row.body).digest('hex')}`);
}

async function oldDatabaseWithFreePages(): Promise<{ kept: string[] }> {
  const raw = new Database(databasePath(dir));
  raw.pragma('journal_mode = WAL');
  raw.close();
  const db = openDatabase(dir);
  expect(db.pragma('auto_vacuum', { simple: true })).toBe(0);
  const repos = createRepos(db);
  const site = repos.sites.create({ name: 'Shop', origins: ['https://shop.example'] });
  const app = createApp({ db, repos, adminToken: TEST_ADMIN_TOKEN });
  for (let i = 0; i < SESSIONS; i++) {
    for (let seq = 0; seq < 3; seq++) {
      const filler = { type: 5, timestamp: T0 + seq * 1000 + 5, data: { tag: 'bulk', payload: randomBytes(32 * 1024).toString('hex') } };
      const batch = makeBatch({ sessionId: `session-${i}-old`, seq, events: [...sampleEvents(T0 + seq * 1000, 2), filler as never] });
      expect((await postIngest(app, site.key, gzipJson(batch))).status).toBe(200);
    }
  }
  createSessionDeletionRepo(db).deleteSessions(['session-0-old', 'session-1-old', 'session-2-old']);
  // The retention job frees nothing on such a file: its pages stay in the free list.
  const job = createRetentionJob({ db, sites: repos.sites, deletion: createSessionDeletionRepo(db), log: () => {} });
  while (await job.runSlice());
  expect(db.pragma('freelist_count', { simple: true })).toBeGreaterThan(60);
  const kept = storedBatches(db);
  expect(kept).toHaveLength((SESSIONS - 3) * 3);
  db.close();
  return { kept };
}

describe('vacuumDatabase (npm run vacuum)', () => {
  it('turns an old database to incremental auto_vacuum, gives its free pages back, and keeps every row', async () => {
    const { kept } = await oldDatabaseWithFreePages();
    const result = vacuumDatabase(dir);
    expect(result.autoVacuum).toBe(2);
    // Three of six sessions of ~105 KB each (3 batches of ~35 KB) went.
    expect(result.bytesBefore - result.bytesAfter).toBeGreaterThan(250_000);

    const db = openDatabase(dir);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(storedBatches(db)).toEqual(kept);

    // From now on the retention job hands deleted sessions' space back by itself.
    const pagesBefore = db.pragma('page_count', { simple: true }) as number;
    createSessionDeletionRepo(db).deleteSessions(['session-3-old']);
    const job = createRetentionJob({ db, sites: createRepos(db).sites, deletion: createSessionDeletionRepo(db), log: () => {} });
    while (await job.runSlice());
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(pagesBefore - (db.pragma('page_count', { simple: true }) as number)).toBeGreaterThan(20);
    db.close();
  });

  // A process of its own: tsx compiles the command at start, seconds on a loaded machine.
  it('runs as `npm run vacuum` on the DATA_DIR and says what it did', { timeout: 60_000 }, async () => {
    await oldDatabaseWithFreePages();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/src/db/vacuum-command.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dir, ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    });
    expect(stdout).toMatch(/^vacuum: [\d.]+ MB before, [\d.]+ MB after; auto_vacuum incremental\n$/);
    const db = new Database(databasePath(dir), { readonly: true });
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
  });
});
