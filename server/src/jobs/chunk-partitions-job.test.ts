import { describe, expect, it } from 'vitest';
import { useMigratedPostgres } from '../../../test/support/migrated-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createPgChunkPartitionsRepo } from '../repos/postgres/pg-chunk-partitions-repo';
import { DAY_MS } from '../retention/retention-period';
import { LATE_BATCH_MARGIN_MS, PARTITION_WEEKS_AHEAD, createChunkPartitionsJob } from './chunk-partitions-job';

const WEEK_MS = 7 * DAY_MS;
/** A Wednesday noon, so weeks (Monday to Monday) fall clearly on either side. */
const NOW = Date.UTC(2026, 10, 25, 12);

describe.skipIf(skipWithoutPostgres())('createChunkPartitionsJob', () => {
  const postgres = useMigratedPostgres();

  async function partitions(): Promise<string[]> {
    const { rows } = await postgres.pool().query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'chunks'::regclass AND c.relname <> 'chunks_default' ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }
  const weekName = (ms: number) => {
    const day = new Date(ms);
    const monday = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - ((day.getUTCDay() + 6) % 7)));
    return `chunks_${monday.toISOString().slice(0, 10).replaceAll('-', '')}`;
  };

  it('makes the weeks ahead, and drops only weeks past every site\'s retention, never while a site keeps sessions for ever', async () => {
    const repo = createPgChunkPartitionsRepo(postgres.pool());
    await postgres.pool().query(`INSERT INTO sites (id, name, key, origins, created_at, retention_days) VALUES
      ('s30', 'A', 'k30', '[]', 0, 30), ('s60', 'B', 'k60', '[]', 0, 60), ('sever', 'C', 'kever', '[]', 0, NULL)`);
    // Weeks 20 and 12 before now, and the one just inside the longest period plus the margin.
    const cutoff = NOW - 60 * DAY_MS - LATE_BATCH_MARGIN_MS;
    for (const at of [NOW - 20 * WEEK_MS, NOW - 12 * WEEK_MS, cutoff]) await repo.createAhead(at, 1);
    const logged: string[] = [];
    const job = createChunkPartitionsJob(repo, (message) => logged.push(message), () => NOW);

    await job.run();
    const ahead = Array.from({ length: PARTITION_WEEKS_AHEAD }, (_, i) => weekName(NOW + i * WEEK_MS));
    expect(await partitions()).toEqual(expect.arrayContaining([weekName(NOW - 20 * WEEK_MS), weekName(NOW - 12 * WEEK_MS), ...ahead]));
    expect(logged.some((line) => line.includes('dropped'))).toBe(false);

    await postgres.pool().query(`UPDATE sites SET retention_days = 14 WHERE id = 'sever'`);
    await job.run();
    const left = await partitions();
    expect(left).not.toContain(weekName(NOW - 20 * WEEK_MS));
    expect(left).not.toContain(weekName(NOW - 12 * WEEK_MS));
    // The week holding the cutoff ends after it: some of its sessions may still be within a site's period.
    expect(left).toContain(weekName(cutoff));
    expect(left).toEqual(expect.arrayContaining(ahead));
    expect(logged.filter((line) => line.includes('dropped'))).toHaveLength(1);
  });
});
