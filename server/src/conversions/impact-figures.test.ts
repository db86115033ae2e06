import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { conversionSegments } from './conversion-segments';
import { affectedSessions, impactFigures } from './impact-figures';
import { opportunitySessions, rankOpportunities } from './impact-ranking';
import { START, seedRandomConversions, type RandomConversions } from './testing/random-conversions';

// The figures SQLite counts must be those the in-memory ranking gives over every row of the range.
function inMemory({ repos, site, goalId }: RandomConversions, from: number, to: number, minSample?: number) {
  const range = { siteId: site.id, from, to };
  const { queries } = repos.conversions;
  const sessions = queries.sessions(range, goalId);
  const conversions = sessions.filter((session) => session.converted).length;
  return {
    overall: { sessions: sessions.length, conversions, rate: sessions.length ? conversions / sessions.length : null },
    opportunities: rankOpportunities({ sessions, visits: queries.visits(range), friction: queries.friction(range), urlPatterns: site.urlPatterns, minSample }),
    segments: conversionSegments(sessions),
  };
}

describe.each([
  ['without URL patterns', [] as string[]],
  ['with URL patterns merging pages', ['/product/*', '/blog/**']],
])('impactFigures %s', (_name, patterns) => {
  let seeded: RandomConversions;
  beforeAll(() => {
    seeded = seedRandomConversions(1500, patterns);
  });
  afterAll(() => seeded.close());

  it('gives the in-memory figures over the whole range and over a slice of it', async () => {
    for (const [from, to] of [
      [START, seeded.end],
      [START + 2_000_000, START + 9_000_000],
    ] as const) {
      const range = { siteId: seeded.site.id, from, to };
      const expected = inMemory(seeded, from, to);
      expect(expected.opportunities.length).toBeGreaterThan(20);
      expect(await impactFigures(seeded.repos.conversions.aggregates, range, seeded.goalId, seeded.site.urlPatterns)).toEqual(expected);
    }
  });

  it('lists each opportunity’s sessions as the in-memory list does', async () => {
    const { repos, site, goalId } = seeded;
    const range = { siteId: site.id, from: START + 1_000_000, to: START + 12_000_000 };
    const { queries, aggregates } = repos.conversions;
    const input = { sessions: queries.sessions(range, goalId), visits: queries.visits(range), friction: queries.friction(range), urlPatterns: site.urlPatterns };
    // Every sixth of the ranking (the in-memory list regroups every flag each time).
    const opportunities = rankOpportunities(input).filter((_, index) => index % 6 === 0);
    expect(opportunities.length).toBeGreaterThan(5);
    for (const { type, page, target, field } of opportunities) {
      const key = { type, page, target, field };
      expect(await affectedSessions(queries, aggregates, range, goalId, site.urlPatterns, key)).toEqual(opportunitySessions(input, key));
    }
    expect(await affectedSessions(queries, aggregates, range, goalId, site.urlPatterns, { type: 'dead_click', page: `${site.origins[0]}/none`, target: null, field: null })).toEqual([]);
  });

  it('follows a session whose start moves and drops what a deleted session reached', async () => {
    const { db, repos, site, goalId, end } = seeded;
    const [first, second] = db.prepare('SELECT id FROM sessions WHERE site_id = ? ORDER BY started_at LIMIT 2').pluck().all(site.id) as string[];
    db.prepare('UPDATE sessions SET started_at = started_at - 5 WHERE id = ?').run(second);
    createSessionDeletionRepo(db).deleteSessions([first!]);
    const range = { siteId: site.id, from: START, to: end };
    expect(await impactFigures(repos.conversions.aggregates, range, goalId, site.urlPatterns)).toEqual(inMemory(seeded, START, end));
    // What the table holds is what the visits and flags give, row for row.
    const derived = `SELECT r.session_id, r.url, s.site_id, s.started_at, count(*) FROM (SELECT session_id, url FROM page_visits UNION ALL SELECT session_id, path FROM friction) r
      JOIN sessions s ON s.id = r.session_id GROUP BY r.session_id, r.url ORDER BY 1, 2`;
    expect(db.prepare('SELECT session_id, url, site_id, started_at, refs FROM conversion_reach ORDER BY 1, 2').raw().all()).toEqual(db.prepare(derived).raw().all());
    expect(db.prepare('SELECT count(*) FROM conversion_reach WHERE session_id = ?').pluck().get(first)).toBe(0);
  });
});
