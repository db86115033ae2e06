import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database';
import { createAdminSessionsRepo } from '../repos/admin-sessions-repo';
import { ADMIN_SESSION_IDLE_MS, ADMIN_SESSION_TOUCH_MS, createAdminSessions } from './admin-sessions';

let dataDir: string;
let db: Database;
let clock: number;
const now = () => clock;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'fl-admin-sessions-'));
  db = openDatabase(dataDir);
  clock = 1_800_000_000_000;
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const TOKEN = 'admin-token-0123456789abcdef';
const rows = () => db.prepare('SELECT id_hash AS idHash, created_at AS createdAt, last_used_at AS lastUsedAt, expires_at AS expiresAt FROM admin_sessions').all() as Array<Record<string, unknown>>;

describe('admin sign-in sessions', () => {
  it('starts a session with a random 32-byte id and stores only its HMAC, never the id', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    const a = sessions.start();
    const b = sessions.start();
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.expiresAt).toBe(clock + ADMIN_SESSION_IDLE_MS);
    const stored = rows();
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.idHash).toMatch(/^[0-9a-f]{64}$/);
      expect([a.id, b.id]).not.toContain(row.idHash);
    }
    expect(JSON.stringify(stored)).not.toContain(a.id);
  });

  it('slides the expiry 30 days past each use, writing it at most once an hour', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    const { id } = sessions.start();
    clock += ADMIN_SESSION_TOUCH_MS - 1;
    expect(sessions.check(id)).toEqual({ expiresAt: clock - ADMIN_SESSION_TOUCH_MS + 1 + ADMIN_SESSION_IDLE_MS, refreshed: false });
    clock += 1;
    expect(sessions.check(id)).toEqual({ expiresAt: clock + ADMIN_SESSION_IDLE_MS, refreshed: true });
    expect(rows()[0]).toMatchObject({ lastUsedAt: clock, expiresAt: clock + ADMIN_SESSION_IDLE_MS });
  });

  it('ends a session unused for 30 days, and removes it', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    const { id } = sessions.start();
    clock += ADMIN_SESSION_IDLE_MS - 1;
    expect(sessions.check(id)?.refreshed).toBe(true);
    clock += ADMIN_SESSION_IDLE_MS;
    expect(sessions.check(id)).toBeUndefined();
    expect(rows()).toHaveLength(0);
  });

  it('drops sessions that expired unused when someone signs in', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    sessions.start();
    clock += ADMIN_SESSION_IDLE_MS;
    sessions.start();
    expect(rows()).toHaveLength(1);
  });

  it('refuses ids it did not issue, of any shape', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    const { id } = sessions.start();
    for (const other of ['', 'x', `${id}x`, id.slice(1), 'A'.repeat(43), `${id.slice(0, 42)}${id.endsWith('A') ? 'B' : 'A'}`, "' OR 1=1 --"]) {
      expect(sessions.check(other), other).toBeUndefined();
    }
    expect(sessions.check(id)).toBeDefined();
  });

  it('ends every session when the admin token changes', () => {
    const { id } = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now }).start();
    const afterRotation = createAdminSessions(createAdminSessionsRepo(db), 'a-new-admin-token-0123456789', { now });
    expect(afterRotation.check(id)).toBeUndefined();
    expect(createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now }).check(id)).toBeDefined();
  });

  it('signs out: the id is worth nothing afterwards', () => {
    const sessions = createAdminSessions(createAdminSessionsRepo(db), TOKEN, { now });
    const { id } = sessions.start();
    expect(sessions.end(id)).toBe(true);
    expect(sessions.check(id)).toBeUndefined();
    expect(sessions.end(id)).toBe(false);
    expect(rows()).toHaveLength(0);
  });
});
