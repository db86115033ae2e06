import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createAnalysisPass } from '../analysis/analysis-pass';
import { createBatchConsumers } from '../analysis/batch-consumers';
import { pgAnalysisDatabase } from '../analysis/pg-analysis-transactions';
import { createApp } from '../app';
import { openPostgres } from '../db/postgres/open-postgres';
import { openPostgresBackend, type PostgresBackend } from '../db/postgres/open-postgres-backend';
import { UNLIMITED } from '../limits/ingest-limits';
import { createPgRepos } from '../repos/postgres/create-pg-repos';
import { recordDerivedVisit } from '../testing/derived-rows';
import { SHOP_ORIGIN, TEST_ADMIN_TOKEN, type TestApp } from '../testing/test-app';
import { createGoalJobRunner } from './goal-job-runner';

const T0 = 1_700_000_000_000;
const SESSIONS = 5;

describe.skipIf(skipWithoutPostgres())('goal jobs on PostgreSQL', () => {
  let server: SharedPostgres;
  let postgres: PostgresBackend;
  let app: Hono;
  let url: string;

  beforeAll(async () => {
    server = await sharedPostgres();
    url = await server.createDatabase();
    postgres = await openPostgresBackend(url, { limits: UNLIMITED, demoSite: false });
    app = createApp({ postgres: postgres.backend, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => {
    await postgres?.close();
    await server?.stop();
  });

  it('two nodes share a job a slice at a time, never the same slice, and finish it with every completion', async () => {
    const nodes = [openPostgres(url, { max: 2 }), openPostgres(url, { max: 2 })].map((raw) => ({ raw, ...pgAnalysisDatabase(raw) }));
    try {
      const repos = createPgRepos(nodes[0]!.pool);
      // Through the app's repositories, whose ingest knows a new site's key at once.
      const site = await postgres.backend.repos.sites.create({ name: 'Shop', origins: [SHOP_ORIGIN] }, Date.now());
      for (let n = 0; n < SESSIONS; n++) await recordDerivedVisit({ app, site } as unknown as TestApp, `session-${n}`, T0 + n * 60_000);
      // Analysed before the goal exists: only its job can find the purchases.
      const pass = createAnalysisPass({ transactions: nodes[0]!.transactions, repos, idleTimeoutMs: 60_000, consumers: createBatchConsumers(repos, Date.now).filter((c) => !c.name.startsWith('heatmap')), pageHooks: [], log: () => {} });
      expect(await pass.run()).toMatchObject({ batches: SESSIONS * 3, skipped: 0 });
      const goal = await repos.conversions.goals.create(site.id, { name: 'Purchase', kind: 'event', event: 'purchase' }, Date.now());
      await repos.conversions.goalJobs.start(goal.id, goal.version, SESSIONS, Date.now());

      const slices: string[] = [];
      const runners = nodes.map(({ pool, transactions }) => {
        const nodeRepos = createPgRepos(pool).conversions;
        const completions = {
          ...nodeRepos.completions,
          async replaceForSessions(...args: Parameters<typeof nodeRepos.completions.replaceForSessions>) {
            slices.push(`${args[1]}..${args[2]}`);
            return nodeRepos.completions.replaceForSessions(...args);
          },
        };
        return { runner: createGoalJobRunner(transactions, { ...nodeRepos, completions }, { sliceSessions: 2 }) };
      });
      const drain = async ({ runner }: (typeof runners)[number]) => {
        while (await runner.runSlice());
      };
      // Both at once: the job's row is claimed for each slice, so each slice is computed by one node.
      await Promise.all(runners.map(drain));
      expect(slices).toEqual(['..session-1', 'session-1..session-3', 'session-3..session-4']);
      expect(await repos.conversions.goalJobs.status(goal.id)).toMatchObject({ state: 'done', done: SESSIONS });
      expect(Number((await nodes[0]!.pool.query('SELECT count(*) AS n FROM goal_completions')).rows[0].n)).toBe(SESSIONS);
    } finally {
      await Promise.all(nodes.map(({ raw }) => raw.end()));
    }
  });
});
