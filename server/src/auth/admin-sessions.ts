// Starts, checks and ends the viewer's sign-in sessions: random ids, stored only as their HMAC under the admin token.
import { createHmac, randomBytes } from 'node:crypto';
import type { AdminSessionsRepo } from '../repos/admin-sessions-repo';
import type { MaybeAsync } from '../repos/maybe-async';

/** A session unused for this long has ended; each use moves its end this far ahead (sliding). */
export const ADMIN_SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** A use moves the stored expiry at most this often, so reading the viewer is not a write per request. */
export const ADMIN_SESSION_TOUCH_MS = 60 * 60 * 1000;
const SESSION_ID_BYTES = 32;
/** 32 bytes in base64url; anything else presented as a session id is not one of ours. */
const SESSION_ID_SYNTAX = /^[A-Za-z0-9_-]{43}$/;

export interface CheckedSession {
  expiresAt: number;
  /** The expiry moved with this use: the cookie is sent again with the new lifetime. */
  refreshed: boolean;
}

export interface AdminSessions {
  /** How long an unused session lasts, and so the cookie's lifetime. */
  readonly idleMs: number;
  start(): Promise<{ id: string; expiresAt: number }>;
  /** The session's expiry after this use; undefined when it is unknown, expired or from another admin token. */
  check(id: string): Promise<CheckedSession | undefined>;
  /** False when there was no such session. */
  end(id: string): Promise<boolean>;
}

export interface AdminSessionsOptions {
  now?: () => number;
  idleMs?: number;
}

/**
 * The stored key is HMAC-SHA256(admin token, id). A presented id is never compared with a stored
 * one: the server looks its HMAC up, which no one without the admin token can compute, so how long a
 * lookup takes says nothing about the ids that exist. A new admin token ends every session at once.
 */
export function createAdminSessions(repo: MaybeAsync<AdminSessionsRepo>, adminToken: string, options: AdminSessionsOptions = {}): AdminSessions {
  const { now = Date.now, idleMs = ADMIN_SESSION_IDLE_MS } = options;
  const hashOf = (id: string) => createHmac('sha256', adminToken).update(id).digest('hex');

  return {
    idleMs,
    async start() {
      const at = now();
      // Sign-ins are rare: a good moment to drop the sessions that ended unused.
      await repo.deleteExpired(at);
      const id = randomBytes(SESSION_ID_BYTES).toString('base64url');
      const expiresAt = at + idleMs;
      await repo.insert({ idHash: hashOf(id), createdAt: at, lastUsedAt: at, expiresAt });
      return { id, expiresAt };
    },
    async check(id) {
      if (!SESSION_ID_SYNTAX.test(id)) return undefined;
      const idHash = hashOf(id);
      const stored = await repo.find(idHash);
      if (!stored) return undefined;
      const at = now();
      if (stored.expiresAt <= at) {
        await repo.delete(idHash);
        return undefined;
      }
      if (at - stored.lastUsedAt < ADMIN_SESSION_TOUCH_MS) return { expiresAt: stored.expiresAt, refreshed: false };
      const expiresAt = at + idleMs;
      return (await repo.touch(idHash, at, expiresAt)) ? { expiresAt, refreshed: true } : undefined;
    },
    async end(id) {
      return SESSION_ID_SYNTAX.test(id) && (await repo.delete(hashOf(id)));
    },
  };
}
