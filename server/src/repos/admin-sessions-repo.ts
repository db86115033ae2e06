// The viewer's sign-in sessions: one row per signed-in browser, found by the hash of its id.
import type { Database } from 'better-sqlite3';

export interface StoredAdminSession {
  idHash: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}

export interface AdminSessionsRepo {
  insert(session: StoredAdminSession): void;
  find(idHash: string): StoredAdminSession | undefined;
  /** Records a use and the expiry it slides to; false when the row is gone. */
  touch(idHash: string, lastUsedAt: number, expiresAt: number): boolean;
  /** False when there was no such session. */
  delete(idHash: string): boolean;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpired(now: number): number;
}

export function createAdminSessionsRepo(db: Database): AdminSessionsRepo {
  const insert = db.prepare<[StoredAdminSession]>(
    'INSERT INTO admin_sessions (id_hash, created_at, last_used_at, expires_at) VALUES (@idHash, @createdAt, @lastUsedAt, @expiresAt)',
  );
  const find = db.prepare<[string], StoredAdminSession>(
    'SELECT id_hash AS idHash, created_at AS createdAt, last_used_at AS lastUsedAt, expires_at AS expiresAt FROM admin_sessions WHERE id_hash = ?',
  );
  const touch = db.prepare<[number, number, string]>('UPDATE admin_sessions SET last_used_at = ?, expires_at = ? WHERE id_hash = ?');
  const remove = db.prepare<[string]>('DELETE FROM admin_sessions WHERE id_hash = ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM admin_sessions WHERE expires_at <= ?');

  return {
    insert: (session) => void insert.run(session),
    find: (idHash) => find.get(idHash),
    touch: (idHash, lastUsedAt, expiresAt) => touch.run(lastUsedAt, expiresAt, idHash).changes === 1,
    delete: (idHash) => remove.run(idHash).changes === 1,
    deleteExpired: (now) => removeExpired.run(now).changes,
  };
}
