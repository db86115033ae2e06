import { beforeEach, expect, it } from 'vitest';
import { describeBothBackends } from '../../../test/support/both-backends';
import { ADMIN_SESSION_IDLE_MS, ADMIN_SESSION_TOUCH_MS, createAdminSessions } from './admin-sessions';

let clock: number;
const now = () => clock;
beforeEach(() => {
  clock = 1_800_000_000_000;
});

const TOKEN = 'admin-token-0123456789abcdef';

describeBothBackends('admin sign-in sessions', (backend) => {
  const rows = () => backend().rows<Record<string, unknown>>('SELECT id_hash AS "idHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt" FROM admin_sessions');
  const repo = () => backend().repos.adminSessions;

  it('starts a session with a random 32-byte id and stores only its HMAC, never the id', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    const a = await sessions.start();
    const b = await sessions.start();
    expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.expiresAt).toBe(clock + ADMIN_SESSION_IDLE_MS);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.idHash).toMatch(/^[0-9a-f]{64}$/);
      expect([a.id, b.id]).not.toContain(row.idHash);
    }
    expect(JSON.stringify(stored)).not.toContain(a.id);
  });

  it('slides the expiry 30 days past each use, writing it at most once an hour', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    const { id } = await sessions.start();
    clock += ADMIN_SESSION_TOUCH_MS - 1;
    expect(await sessions.check(id)).toEqual({ expiresAt: clock - ADMIN_SESSION_TOUCH_MS + 1 + ADMIN_SESSION_IDLE_MS, refreshed: false });
    clock += 1;
    expect(await sessions.check(id)).toEqual({ expiresAt: clock + ADMIN_SESSION_IDLE_MS, refreshed: true });
    expect((await rows())[0]).toMatchObject({ lastUsedAt: clock, expiresAt: clock + ADMIN_SESSION_IDLE_MS });
  });

  it('ends a session unused for 30 days, and removes it', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    const { id } = await sessions.start();
    clock += ADMIN_SESSION_IDLE_MS - 1;
    expect((await sessions.check(id))?.refreshed).toBe(true);
    clock += ADMIN_SESSION_IDLE_MS;
    expect(await sessions.check(id)).toBeUndefined();
    expect(await rows()).toHaveLength(0);
  });

  it('drops sessions that expired unused when someone signs in', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    await sessions.start();
    clock += ADMIN_SESSION_IDLE_MS;
    await sessions.start();
    expect(await rows()).toHaveLength(1);
  });

  it('refuses ids it did not issue, of any shape', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    const { id } = await sessions.start();
    for (const other of ['', 'x', `${id}x`, id.slice(1), 'A'.repeat(43), `${id.slice(0, 42)}${id.endsWith('A') ? 'B' : 'A'}`, "' OR 1=1 --"]) {
      expect(await sessions.check(other), other).toBeUndefined();
    }
    expect(await sessions.check(id)).toBeDefined();
  });

  it('ends every session when the admin token changes', async () => {
    const { id } = await createAdminSessions(repo(), TOKEN, { now }).start();
    const afterRotation = createAdminSessions(repo(), 'a-new-admin-token-0123456789', { now });
    expect(await afterRotation.check(id)).toBeUndefined();
    expect(await createAdminSessions(repo(), TOKEN, { now }).check(id)).toBeDefined();
  });

  it('signs out: the id is worth nothing afterwards', async () => {
    const sessions = createAdminSessions(repo(), TOKEN, { now });
    const { id } = await sessions.start();
    expect(await sessions.end(id)).toBe(true);
    expect(await sessions.check(id)).toBeUndefined();
    expect(await sessions.end(id)).toBe(false);
    expect(await rows()).toHaveLength(0);
  });
});
