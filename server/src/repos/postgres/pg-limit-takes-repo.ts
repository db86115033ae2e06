// PostgreSQL rows behind the ingest limits that nodes share: each node stores its takes and reads the others', in one round trip.
import type { Pool } from 'pg';
import type { LimitScope, LimitTakesStore, StoredLimitTake } from '../../limits/shared-ingest-limits';
import { statement } from './pg-statement';

interface TakeRow {
  id: string;
  scope: LimitScope;
  key: string;
  taken: number;
  at_ms: string;
}

/**
 * The INSERT and the SELECT run in one statement, and so on one snapshot: the SELECT never sees the
 * rows it stores, which are this node's own anyway. The arrays keep it one statement however many
 * keys a second brought.
 */
const exchangeTakes = statement<[string, string[], string[], number[], number, number, number], TakeRow>(
  'limit_takes_exchange',
  `
  WITH stored AS (
    INSERT INTO ingest_limit_takes (node_id, scope, key, taken, at_ms)
    SELECT $1, scope, key, taken, $5 FROM unnest($2::text[], $3::text[], $4::integer[]) AS t(scope, key, taken)
  )
  SELECT id::text AS id, scope, key, taken, at_ms::text AS at_ms FROM ingest_limit_takes
  WHERE node_id <> $1 AND (at_ms > $6 OR (scope = 'session' AND at_ms > $7))`,
);

const pruneTakes = statement<[number, number]>('limit_takes_prune', `DELETE FROM ingest_limit_takes WHERE at_ms < $1 AND (scope <> 'session' OR at_ms < $2)`);

export function createLimitTakesRepo(pool: Pool): LimitTakesStore {
  return {
    async exchange({ nodeId, takes, now, since, sessionsSince }) {
      const rows = await exchangeTakes.all(pool, nodeId, takes.map((t) => t.scope), takes.map((t) => t.key), takes.map((t) => t.taken), now, since, sessionsSince);
      return rows.map((row): StoredLimitTake => ({ id: row.id, scope: row.scope, key: row.key, taken: row.taken, at: Number(row.at_ms) }));
    },
    async prune(tokensBefore, sessionsBefore) {
      await pruneTakes.run(pool, tokensBefore, sessionsBefore);
    },
  };
}
