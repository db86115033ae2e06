import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelStep } from '../api-types';
import { funnelFigures } from './funnel-figures';
import { funnelReport } from './funnel-report';
import { START, seedRandomConversions, type RandomConversions } from './testing/random-conversions';

let seeded: RandomConversions;
beforeAll(() => {
  seeded = seedRandomConversions(1500, ['/product/*']);
});
afterAll(() => seeded.close());

const FUNNELS: FunnelStep[][] = [
  [{ kind: 'page', pattern: '/product/*' }, { kind: 'page', pattern: '/cart' }, { kind: 'page', pattern: '/checkout*' }, { kind: 'page', pattern: '/checkout/thanks' }],
  // Steps that repeat, overlap and mix kinds: a page can hit two steps, an event can come before the page.
  [{ kind: 'page', pattern: '/**' }, { kind: 'event', event: 'purchase' }, { kind: 'page', pattern: '/checkout**' }, { kind: 'page', pattern: '/**' }, { kind: 'event', event: 'signup' }],
  [{ kind: 'event', event: 'signup' }, { kind: 'event', event: 'purchase' }],
  [{ kind: 'page', pattern: '/blog/*' }, { kind: 'page', pattern: '/nowhere' }],
];

describe('funnelFigures', () => {
  it.each(FUNNELS.map((steps, index) => [index, steps] as const))('gives the in-memory report for funnel %i over the whole range and a slice of it', async (_index, steps) => {
    const { repos, site, end } = seeded;
    const { queries, aggregates } = repos.conversions;
    for (const [from, to] of [
      [START, end],
      [START + 3_000_000, START + 8_000_000],
    ] as const) {
      const range = { siteId: site.id, from, to };
      const expected = funnelReport({ steps, sessions: queries.sessions(range, null), visits: queries.visits(range), tracked: queries.tracked(range), friction: queries.friction(range) });
      expect(await funnelFigures(aggregates, range, steps)).toEqual(expected);
    }
  });

  it('counts the range’s sessions as the report gives them', () => {
    const { repos, site, end } = seeded;
    const range = { siteId: site.id, from: START, to: end };
    expect(repos.conversions.aggregates.sessionCount(range)).toBe(repos.conversions.queries.sessions(range, null).length);
  });
});
