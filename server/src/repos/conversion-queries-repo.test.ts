import { expect, it } from 'vitest';
import { describeBothBackends, type TestBackend } from '../../../test/support/both-backends';
import type { FrictionFlag } from '../api-types';

const T0 = 1_700_000_000_000;

async function session(backend: TestBackend, siteId: string, id: string, startedAt: number): Promise<void> {
  const { sessions, pages } = backend.repos;
  await sessions.insert({ id, siteId, startedAt, endedAt: startedAt + 500, eventCount: 1, entryUrl: 'https://shop.example/', userAgent: null, browser: 'Chrome', browserVersion: null, os: null, device: 'desktop', receivedAt: startedAt });
  for (const pageId of ['p1', 'p2']) await pages.insert({ sessionId: id, pageId, url: `https://shop.example/${pageId}`, startedAt });
}

describeBothBackends('conversion facts and report queries repositories', (backend) => {
  it('keeps each page’s visits, tracked events and the earliest page’s source; reads a range’s rows with goal conversions', async () => {
    const { sites, friction, conversions } = backend().repos;
    const { facts, queries, goals, completions } = conversions;
    const site = await sites.create({ name: 'Shop', origins: [] });
    await session(backend(), site.id, 's1', T0);
    await session(backend(), site.id, 's2', T0 + 1000);
    await session(backend(), site.id, 'late', T0 + 60_000);
    await facts.replaceForPage('s1', 'p2', { visits: [{ url: 'https://shop.example/cart', ts: T0 + 20.5 }], tracked: [{ name: 'add', ts: T0 + 21 }], source: { ts: T0 + 20, referrerHost: 'later.example', utmSource: '' } });
    await facts.replaceForPage('s1', 'p1', { visits: [{ url: 'https://shop.example/', ts: T0 + 1 }], tracked: [], source: { ts: T0 + 1, referrerHost: 'search.example', utmSource: 'ads' } });
    // Judged again: the page's visits and events are replaced, the earlier page's source stays.
    await facts.replaceForPage('s1', 'p2', { visits: [{ url: 'https://shop.example/thanks', ts: T0 + 30 }], tracked: [{ name: 'buy', ts: T0 + 31 }], source: { ts: T0 + 20, referrerHost: 'later.example', utmSource: '' } });
    await facts.replaceForPage('s2', 'p1', { visits: [{ url: 'https://shop.example/', ts: T0 + 1001 }], tracked: [], source: null });
    const goal = await goals.create(site.id, { name: 'Bought', kind: 'event', event: 'buy' }, T0);
    await completions.replaceForPage('s1', 'p2', [{ goalId: goal.id, ts: T0 + 31 }]);
    await friction.replaceForPage(site.id, 's2', 'p1', [{ type: 'rage_click', ts: T0 + 1002, url: 'https://shop.example/?q', selector: '#buy', reason: 'r', details: { targetText: 'Buy' } } as unknown as FrictionFlag]);

    const range = { siteId: site.id, from: T0, to: T0 + 10_000 };
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await queries.sessions(range, goal.id))).toEqual([
      { id: 's1', startedAt: T0, endedAt: T0 + 500, device: 'desktop', browser: 'Chrome', entryUrl: 'https://shop.example/', referrerHost: 'search.example', utmSource: 'ads', hasSource: true, converted: true },
      { id: 's2', startedAt: T0 + 1000, endedAt: T0 + 1500, device: 'desktop', browser: 'Chrome', entryUrl: 'https://shop.example/', referrerHost: '', utmSource: null, hasSource: false, converted: false },
    ]);
    expect((await queries.sessions(range, null)).every((row) => !row.converted)).toBe(true);
    const sorted = <T extends { sessionId: string; ts: number }>(rows: T[]) => [...rows].sort((a, b) => a.ts - b.ts);
    expect(sorted(await queries.visits(range))).toEqual([
      { sessionId: 's1', url: 'https://shop.example/', ts: T0 + 1 },
      { sessionId: 's1', url: 'https://shop.example/thanks', ts: T0 + 30 },
      { sessionId: 's2', url: 'https://shop.example/', ts: T0 + 1001 },
    ]);
    expect(await queries.tracked(range)).toEqual([{ sessionId: 's1', name: 'buy', ts: T0 + 31 }]);
    const flags = await queries.friction(range);
    expect(flags.map((flag) => ({ ...flag, details: JSON.parse(flag.details) }))).toEqual([
      { sessionId: 's2', type: 'rage_click', ts: T0 + 1002, path: 'https://shop.example/', selector: '#buy', details: { targetText: 'Buy' } },
    ]);
    expect(await queries.frictionOn(range, 'rage_click', ['https://shop.example/'])).toHaveLength(1);
    expect(await queries.frictionOn(range, 'dead_click', ['https://shop.example/'])).toEqual([]);
    expect(await queries.frictionOn(range, 'rage_click', [])).toEqual([]);
    expect((await queries.sessionsById(['s1', 'late', 'nope'], goal.id)).map((row) => [row.id, row.converted]).sort()).toEqual([['late', false], ['s1', true]]);
    expect(await queries.sessionsById([], null)).toEqual([]);
  });
});
