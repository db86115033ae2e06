// PostgreSQL's weekly partitions of stored batches: created ahead of time, dropped once every site's retention has passed them.
import type { Pool } from 'pg';

export interface ChunkPartitionsRepo {
  /** Creates the partitions of the week holding `fromMs` and of the weeks after it; returns those it created. */
  createAhead(fromMs: number, weeks: number): Promise<string[]>;
  /** Drops the partitions whose week ends at or before `beforeMs`; returns their names. */
  dropBefore(beforeMs: number): Promise<string[]>;
  /** The longest retention period of all sites, in days; null when any site keeps its sessions for ever (or there is none). */
  longestRetentionDays(): Promise<number | null>;
}

export function createPgChunkPartitionsRepo(pool: Pool): ChunkPartitionsRepo {
  const names = (rows: Array<{ name: string }>) => rows.map((row) => row.name);
  return {
    async createAhead(fromMs, weeks) {
      return names((await pool.query<{ name: string }>('SELECT create_chunk_partitions($1, $2) AS name', [fromMs, weeks])).rows);
    },
    async dropBefore(beforeMs) {
      return names((await pool.query<{ name: string }>('SELECT drop_chunk_partitions($1) AS name', [beforeMs])).rows);
    },
    async longestRetentionDays() {
      const { rows } = await pool.query<{ days: number | null; unlimited: boolean }>(
        'SELECT max(retention_days) AS days, bool_or(retention_days IS NULL) AS unlimited FROM sites',
      );
      const row = rows[0];
      return !row || row.unlimited !== false ? null : row.days;
    },
  };
}
