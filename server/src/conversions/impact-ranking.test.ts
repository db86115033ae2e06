import { describe, expect, it } from 'vitest';
import type { ReportFriction, ReportSession, ReportVisit } from '../repos/conversion-queries-repo';
import { opportunitySessions, rankOpportunities } from './impact-ranking';

const SHOP = 'https://shop.example';
const session = (id: string, converted: boolean): ReportSession => ({
  id, startedAt: 1000, endedAt: 9000, device: 'desktop', browser: 'Chrome', entryUrl: `${SHOP}/`, referrerHost: '', utmSource: null, hasSource: true, converted,
});
const visit = (sessionId: string, path: string): ReportVisit => ({ sessionId, url: `${SHOP}${path}`, ts: 1000 });
const flag = (sessionId: string, type: ReportFriction['type'], path: string, selector: string, details: object = {}, ts = 5000): ReportFriction => ({
  sessionId, type, ts, path: `${SHOP}${path}`, selector, details: JSON.stringify(details),
});

/** n sessions named prefix0…, the first `converted` of them converting. */
const many = (prefix: string, n: number, converted: number) => Array.from({ length: n }, (_, i) => session(`${prefix}${i}`, i < converted));

describe('rankOpportunities', () => {
  it('groups flags by type, page (under the site’s URL patterns) and target, and ranks losses before unknowns before no loss', () => {
    const lossy = many('a', 4, 0);
    const fine = many('b', 4, 4);
    const others = many('c', 4, 2);
    const sessions = [...lossy, ...fine, ...others];
    const visits = sessions.map((s, i) => visit(s.id, `/product/${i % 2 ? 'mug' : 'tee'}`));
    const friction = [
      ...lossy.map((s, i) => flag(s.id, 'dead_click', `/product/${i % 2 ? 'mug' : 'tee'}`, '#photo', { targetText: 'Photo' })),
      ...fine.map((s) => flag(s.id, 'rage_click', '/product/mug', '#buy')),
      flag('c0', 'error_loop', '/product/tee', '#promo', { trigger: '#apply', error: 'POST /promo → 500' }),
    ];
    const ranked = rankOpportunities({ sessions, visits, friction, urlPatterns: ['/product/*'], minSample: 4 });
    expect(ranked.map((o) => [o.type, o.page, o.target, o.status])).toEqual([
      // 4 affected never convert, the 8 others on /product/* convert 6 times: 0.75 × 4 = 3 lost.
      ['dead_click', `${SHOP}/product/*`, '#photo', 'estimate'],
      ['error_loop', `${SHOP}/product/*`, '#apply', 'not_enough_data'],
      ['rage_click', `${SHOP}/product/*`, '#buy', 'no_loss'],
    ]);
    expect(ranked[0]).toMatchObject({ label: 'Photo', affected: { sessions: 4, conversions: 0 }, comparable: { sessions: 8, conversions: 6 } });
    expect(ranked[0]!.lostConversions!.estimate).toBeCloseTo(3, 12);
    expect(ranked[1]).toMatchObject({ label: 'POST /promo → 500', difference: null });
    expect(ranked[2]!.difference!.estimate).toBeCloseTo(2 / 8 - 1, 12);
  });

  it('counts a session once per opportunity and opens it at its first flag', () => {
    const sessions = [session('s1', false)];
    const friction = [flag('s1', 'dead_click', '/a', '#x', {}, 7000), flag('s1', 'dead_click', '/a', '#x', {}, 6000)];
    const ranked = rankOpportunities({ sessions, visits: [], friction, urlPatterns: [] });
    expect(ranked[0]!.affected.sessions).toBe(1);
    // The page is counted as reached by the flag's own session even without a visit row.
    expect(ranked[0]!.comparable.sessions).toBe(0);
    const [moment] = opportunitySessions({ sessions, visits: [], friction: friction.sort((a, b) => a.ts - b.ts), urlPatterns: [] }, { type: 'dead_click', page: `${SHOP}/a`, target: '#x', field: null });
    expect(moment).toMatchObject({ sessionId: 's1', ts: 6000, atMs: 2000, durationMs: 8000, converted: false });
  });
});
