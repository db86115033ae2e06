// Runs a test file's body once on SQLite and once on PostgreSQL: a fresh database per test on each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openDatabase } from '../../server/src/db/open-database';
import { openPostgres } from '../../server/src/db/postgres/open-postgres';
import { createRepos, type AppRepos } from '../../server/src/repos/create-repos';
import { createPgRepos } from '../../server/src/repos/postgres/create-pg-repos';
import { sharedPostgres, type SharedPostgres } from './shared-postgres';
import { skipWithoutPostgres } from './start-postgres';

export type BackendKind = 'sqlite' | 'postgres';

export interface TestBackend {
  kind: BackendKind;
  repos: AppRepos;
  /**
   * Runs one statement for setting up a test (rows no repository of this backend writes yet).
   * Placeholders are `?` on both; on PostgreSQL they become $1, $2….
   */
  exec(sql: string, values?: unknown[]): Promise<void>;
  /** The rows of one query, for checks the repositories do not answer. Placeholders as in exec. */
  rows<T>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Set on SQLite only: the handle, for the synchronous repositories ingest uses. */
  sqlite?: Database;
  /** Set on PostgreSQL only. */
  pool?: pg.Pool;
}

/** A test's own pool: few connections, so many test databases fit under the cluster's max_connections. */
const TEST_POOL_SIZE = 4;

const toDollarParams = (sql: string): string => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

function sqliteBackend(): { backend: TestBackend; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'frictionlens-both-'));
  const db = openDatabase(dir);
  return {
    backend: {
      kind: 'sqlite',
      repos: createRepos(db),
      sqlite: db,
      exec: async (sql, values = []) => void db.prepare(sql).run(...values),
      rows: async <T>(sql: string, values: unknown[] = []) => db.prepare(sql).all(...values) as T[],
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `describeBothBackends('goals repository', (backend) => { it(…, async () => { await backend().repos… }) })`
 * declares the body twice: "[sqlite]" and "[postgres]". The PostgreSQL half is skipped, with a line
 * saying how to enable it, where no PostgreSQL 15+ binaries are installed.
 */
export function describeBothBackends(title: string, body: (backend: () => TestBackend) => void): void {
  describe(`${title} [sqlite]`, () => {
    let current: ReturnType<typeof sqliteBackend> | undefined;
    beforeEach(() => {
      current = sqliteBackend();
    });
    afterEach(() => current?.close());
    body(() => current!.backend);
  });

  describe.skipIf(skipWithoutPostgres())(`${title} [postgres]`, () => {
    // The run's shared cluster (its migrated template made once per run); each test a copy of the template.
    let cluster: SharedPostgres | undefined;
    let current: TestBackend | undefined;
    beforeAll(async () => {
      cluster = await sharedPostgres();
    });
    afterAll(() => cluster?.stop());
    beforeEach(async () => {
      const pool = openPostgres(await cluster!.migratedDatabase(), { max: TEST_POOL_SIZE });
      current = {
        kind: 'postgres',
        repos: createPgRepos(pool),
        pool,
        exec: async (sql, values = []) => void (await pool.query(toDollarParams(sql), values)),
        rows: async <T>(sql: string, values: unknown[] = []) => (await pool.query(toDollarParams(sql), values)).rows as T[],
      };
    });
    afterEach(async () => {
      await current?.pool?.end();
    });
    body(() => current!);
  });
}
