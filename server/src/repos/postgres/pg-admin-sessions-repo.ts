// The viewer's sign-in sessions on PostgreSQL: shared by every node, so a sign-in on one is good on all.
import type { AdminSessionsRepo, StoredAdminSession } from '../admin-sessions-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

const insert = statement<[string, number, number, number]>(
  'admin_sessions_insert',
  'INSERT INTO admin_sessions (id_hash, created_at, last_used_at, expires_at) VALUES ($1, $2, $3, $4)',
);
const find = statement<[string], StoredAdminSession>(
  'admin_sessions_find',
  'SELECT id_hash AS "idHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt" FROM admin_sessions WHERE id_hash = $1',
);
const touch = statement<[string, number, number]>('admin_sessions_touch', 'UPDATE admin_sessions SET last_used_at = $2, expires_at = $3 WHERE id_hash = $1');
const remove = statement<[string]>('admin_sessions_delete', 'DELETE FROM admin_sessions WHERE id_hash = $1');
const removeExpired = statement<[number]>('admin_sessions_delete_expired', 'DELETE FROM admin_sessions WHERE expires_at <= $1');

export function createPgAdminSessionsRepo(db: Queryable): Async<AdminSessionsRepo> {
  return {
    async insert(session) {
      await insert.run(db, session.idHash, session.createdAt, session.lastUsedAt, session.expiresAt);
    },
    find: (idHash) => find.get(db, idHash),
    touch: async (idHash, lastUsedAt, expiresAt) => (await touch.run(db, idHash, lastUsedAt, expiresAt)).rowCount === 1,
    delete: async (idHash) => (await remove.run(db, idHash)).rowCount === 1,
    deleteExpired: async (now) => (await removeExpired.run(db, now)).rowCount ?? 0,
  };
}
