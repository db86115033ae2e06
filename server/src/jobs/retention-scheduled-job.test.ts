import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createApp } from '../app';
import { openPostgresBackend, type PostgresBackend } from '../db/postgres/open-postgres-backend';
import { UNLIMITED } from '../limits/ingest-limits';
import { createPgJobScheduleRepo } from '../repos/postgres/pg-job-schedule-repo';
import { DAY_MS } from '../retention/retention-period';
import { recordDerivedVisit } from '../testing/derived-rows';
import { SHOP_ORIGIN, TEST_ADMIN_TOKEN, type TestApp } from '../testing/test-app';
import { createRetentionScheduledJob } from './retention-scheduled-job';
import { createJobRunner } from './run-on-schedule';

const T0 = 1_700_000_000_000;

describe.skipIf(skipWithoutPostgres())('retention as a scheduled job on PostgreSQL', () => {
  let server: SharedPostgres;
  let postgres: PostgresBackend;
  let app: Hono;

  beforeAll(async () => {
    server = await sharedPostgres();
    postgres = await openPostgresBackend(await server.createDatabase(), { limits: UNLIMITED, demoSite: false });
    app = createApp({ postgres: postgres.backend, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => {
    await postgres?.close();
    await server?.stop();
  });

  it('runs once per schedule however many nodes ask, deleting the sessions past their site’s period and keeping the others', async () => {
    const { repos } = postgres.backend;
    const site = await repos.sites.create({ name: 'Shop', origins: [SHOP_ORIGIN] }, Date.now());
    for (const sessionId of ['session-old', 'session-new']) await recordDerivedVisit({ app, site } as unknown as TestApp, sessionId, T0);
    const now = Date.now();
    await postgres.pool.query('UPDATE sites SET retention_days = 30 WHERE id = $1', [site.id]);
    await postgres.pool.query(`UPDATE sessions SET updated_at = $1 WHERE id = 'session-old'`, [now - 31 * DAY_MS]);
    const logged: string[] = [];
    const store = createPgJobScheduleRepo(postgres.pool);
    const nodes = ['node-a', 'node-b', 'node-c'].map((node) => createJobRunner(store, node, [createRetentionScheduledJob({ sites: repos.sites, deletion: repos.deletion, log: (message) => logged.push(message) })]));
    const ran = await Promise.all(nodes.map((node) => node.tick(now)));
    expect(ran.flat()).toEqual(['retention']);
    expect(logged).toEqual(['retention: deleted 1 session past their site\'s period']);
    expect((await postgres.pool.query('SELECT id FROM sessions ORDER BY id')).rows.map((row) => row.id)).toEqual(['session-new']);
    // Not due again until its interval has passed, on any node.
    expect((await Promise.all(nodes.map((node) => node.tick(now + 60_000)))).flat()).toEqual([]);
  });
});
