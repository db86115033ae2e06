// Bench child: the real frictionlens app (createApp) on PostgreSQL (DATABASE_URL), as main.ts opens it, driven by bench/ingest.ts.
import { serve } from '@hono/node-server';
import { createApp } from '../server/src/app';
import { openPostgresBackend } from '../server/src/db/postgres/open-postgres-backend';
import { UNLIMITED } from '../server/src/limits/ingest-limits';
import { answerBench } from './child-control';
import { readVariantSql } from './variant-sql';

const SITE_NAME = 'bench';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must name the PostgreSQL database this bench child may fill');
// No rate limits, as the SQLite bench child: one load generator on one address would hit them.
const postgres = await openPostgresBackend(url, { limits: UNLIMITED, demoSite: false });
// BENCH_PG_VARIANT names a SQL file run once migrated, to measure a variant of the schema or of
// store_batch against the real one (bench/store-batch-before.sql: the function before 5345cb7; a
// migration that only defines functions, as 010, replaces today's: readVariantSql).
// Nodes of one database run it one after another, so it must bear running twice.
const variant = process.env.BENCH_PG_VARIANT;
if (variant) await postgres.pool.query(readVariantSql(variant));
const { sites } = postgres.backend.repos;
// Nodes of one database are started one after another: the second finds the first's site (its
// keys, read at open, already hold it).
const site = (await sites.findByName(SITE_NAME)) ?? (await sites.create({ name: SITE_NAME, origins: ['self'] }));
const app = createApp({ postgres: postgres.backend, adminToken: 'bench-admin-token-0123456789' });

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: site.key }, async () => {
    server.close();
    const { rows } = await postgres.pool.query<{ n: number }>('SELECT count(*) AS n FROM chunks');
    await postgres.close();
    // Ingest alone is measured: no analysis process beside this child (the SQLite child runs without one too).
    return { chunks: rows[0]!.n, analysed: 0, analysis: 'off' };
  });
});
