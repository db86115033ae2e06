// PostgreSQL's impact and funnel counts against SQLite's over the same rows: a random installation copied across with migrateToPostgres.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres, type SharedPostgres } from '../../../../test/support/shared-postgres';
import { skipWithoutPostgres } from '../../../../test/support/start-postgres';
import type { FunnelStep } from '../../api-types';
import { funnelFigures } from '../../conversions/funnel-figures';
import { affectedSessions, impactFigures } from '../../conversions/impact-figures';
import { rankOpportunities } from '../../conversions/impact-ranking';
import { START, seedRandomConversions, type RandomConversions } from '../../conversions/testing/random-conversions';
import { migrateToPostgres } from '../../db/postgres/migrate-to-postgres';
import { openPostgres } from '../../db/postgres/open-postgres';
import type { AppRepos } from '../create-repos';
import { createPgRepos } from './create-pg-repos';

/** Enough sessions for every opportunity kind and funnel branch, few enough to copy in about a second. */
const SESSIONS = 600;
const FUNNELS: FunnelStep[][] = [
  [{ kind: 'page', pattern: '/product/*' }, { kind: 'page', pattern: '/cart' }, { kind: 'page', pattern: '/checkout*' }, { kind: 'page', pattern: '/checkout/thanks' }],
  [{ kind: 'page', pattern: '/**' }, { kind: 'event', event: 'purchase' }, { kind: 'page', pattern: '/checkout**' }, { kind: 'page', pattern: '/**' }, { kind: 'event', event: 'signup' }],
  [{ kind: 'event', event: 'signup' }, { kind: 'event', event: 'purchase' }],
  [{ kind: 'page', pattern: '/blog/*' }, { kind: 'page', pattern: '/nowhere' }],
];

/** Rows in a stable order, whatever order each database grouped them in. */
const sorted = <T>(rows: readonly T[]) => rows.map((row) => JSON.stringify(row)).sort();

describe.skipIf(skipWithoutPostgres())('conversion aggregates repository on PostgreSQL', () => {
  let server: SharedPostgres;
  let seeded: RandomConversions;
  let pool: pg.Pool;
  let postgres: AppRepos;

  beforeAll(async () => {
    [server, seeded] = await Promise.all([sharedPostgres(), Promise.resolve(seedRandomConversions(SESSIONS, ['/product/*', '/blog/**']))]);
    const url = await server.createDatabase();
    const copied = await migrateToPostgres({ from: seeded.db.name, to: url, progress: false, log: () => {} });
    expect(copied.ok).toBe(true);
    pool = openPostgres(url, { max: 4 });
    postgres = createPgRepos(pool);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    seeded?.close();
  });

  const ranges = () => [
    { siteId: seeded.site.id, from: START, to: seeded.end },
    { siteId: seeded.site.id, from: START + 1_000_000, to: START + 4_000_000 },
  ];

  it('counts the same sessions, URLs, segments, opportunities and reach as SQLite', async () => {
    const sqlite = seeded.repos.conversions.aggregates;
    const onPg = postgres.conversions.aggregates;
    for (const range of ranges()) {
      expect(await onPg.sessionCount(range)).toBe(sqlite.sessionCount(range));
      const urls = sqlite.urls(range);
      expect((await onPg.urls(range)).slice().sort()).toEqual(urls.slice().sort());
      expect(sorted(await onPg.segments(range, seeded.goalId))).toEqual(sorted(sqlite.segments(range, seeded.goalId)));
      // Each URL its own page, and every URL under a few pages (as URL patterns merge them).
      for (const pageOf of [new Map(urls.map((url, index) => [url, index])), new Map(urls.map((url, index) => [url, index % 3]))]) {
        const opportunities = sqlite.opportunities(range, seeded.goalId, pageOf);
        expect(opportunities.length).toBeGreaterThan(10);
        expect(sorted(await onPg.opportunities(range, seeded.goalId, pageOf))).toEqual(sorted(opportunities));
        expect(sorted(await onPg.reach(range, seeded.goalId, pageOf))).toEqual(sorted(sqlite.reach(range, seeded.goalId, pageOf)));
      }
      expect(await onPg.opportunities(range, seeded.goalId, new Map())).toEqual([]);
      expect(await onPg.reach(range, seeded.goalId, new Map())).toEqual([]);
    }
  });

  it('gives the same impact report, opportunity sessions and funnel figures as SQLite', async () => {
    const { site, goalId } = seeded;
    for (const range of ranges()) {
      const figures = await impactFigures(postgres.conversions.aggregates, range, goalId, site.urlPatterns);
      expect(figures).toEqual(await impactFigures(seeded.repos.conversions.aggregates, range, goalId, site.urlPatterns));
      expect(figures.opportunities.length).toBeGreaterThan(10);
      const input = { sessions: seeded.repos.conversions.queries.sessions(range, goalId), visits: [], friction: seeded.repos.conversions.queries.friction(range), urlPatterns: site.urlPatterns };
      for (const { type, page, target, field } of rankOpportunities({ ...input, visits: seeded.repos.conversions.queries.visits(range) }).filter((_, index) => index % 5 === 0)) {
        const key = { type, page, target, field };
        expect(await affectedSessions(postgres.conversions.queries, postgres.conversions.aggregates, range, goalId, site.urlPatterns, key)).toEqual(
          await affectedSessions(seeded.repos.conversions.queries, seeded.repos.conversions.aggregates, range, goalId, site.urlPatterns, key),
        );
      }
      for (const steps of FUNNELS) {
        const expected = await funnelFigures(seeded.repos.conversions.aggregates, range, steps);
        expect(expected[0]!.reached).toBeGreaterThan(0);
        expect(await funnelFigures(postgres.conversions.aggregates, range, steps)).toEqual(expected);
      }
    }
  });
});
