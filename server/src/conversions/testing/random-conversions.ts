// Test support: a real database seeded with random sessions, visits, tracked events, flags and goal completions through the repositories, awkward cases included, to compare the SQL figures with the in-memory ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { FrictionFlag, Site } from '../../api-types';
import { openDatabase } from '../../db/open-database';
import { createRepos, type Repos } from '../../repos/create-repos';

export const ORIGIN = 'https://shop.example';
export const START = Date.UTC(2026, 5, 1);
const PATHS = ['/', '/product/mug', '/product/tee', '/product/cap', '/cart', '/checkout', '/checkout/thanks', '/blog/a', '/blog/a/comments'];
const SELECTORS = ['#buy', '#photo', null, ''];
const TEXTS = ['Buy', '', undefined, 7];

export interface RandomConversions {
  db: Database;
  repos: Repos;
  site: Site;
  goalId: string;
  /** Session start times span [START, end). */
  end: number;
  close(): void;
}

/** Deterministic (mulberry32), so a failure can be run again. */
function generator(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomFlag(random: () => number, pageId: string, url: string, ts: number): FrictionFlag {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const type = pick(['rage_click', 'dead_click', 'form_abandonment', 'error_loop'] as const);
  const selector = pick(SELECTORS);
  const base = { ts, pageId, url, selector, reason: 'random' };
  switch (type) {
    case 'form_abandonment':
      return { ...base, type, details: { form: pick(['#checkout', '', undefined]), dropOffField: pick(['#postcode', '#email', undefined]), dropOffLabel: pick(['Postcode', '', undefined]) } as never };
    case 'error_loop':
      return { ...base, type, details: { trigger: pick(['#apply', '', undefined]), error: pick(['500', 'TypeError', '', undefined]) } as never };
    default:
      return { ...base, type, details: { targetText: pick(TEXTS) } as never };
  }
}

/** `sessions` sessions over `urlPatterns`, a page goal on /checkout/thanks* and a second site whose rows must never count. */
export function seedRandomConversions(sessions: number, urlPatterns: string[], seed = 11): RandomConversions {
  const random = generator(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]) => list[int(list.length)]!;
  const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-random-conversions-'));
  const db = openDatabase(dataDir);
  const repos = createRepos(db);
  const site = repos.sites.create({ name: 'Shop', origins: [ORIGIN] });
  const other = repos.sites.create({ name: 'Other', origins: [ORIGIN] });
  db.prepare('UPDATE sites SET url_patterns = ? WHERE id = ?').run(JSON.stringify(urlPatterns), site.id);
  const goal = repos.conversions.goals.create(site.id, { name: 'Thanks', kind: 'page', pattern: '/checkout/thanks*' }, START);
  const otherGoal = repos.conversions.goals.create(other.id, { name: 'Thanks', kind: 'page', pattern: '/checkout/thanks*' }, START);
  const gap = 10_000;
  db.transaction(() => {
    for (let i = 0; i < sessions; i++) {
      const onOther = i % 17 === 0;
      const siteId = onOther ? other.id : site.id;
      const id = `rand-${String(i).padStart(5, '0')}`;
      const startedAt = START + i * gap;
      const entry = pick([`${ORIGIN}/`, `${ORIGIN}/?utm_source=News`, `${ORIGIN}/product/mug?utm_source=%20Ads%20`, `${ORIGIN}/cart?x=1`]);
      repos.sessions.insert({ id, siteId, startedAt, endedAt: startedAt + 60_000, eventCount: 10, entryUrl: entry, userAgent: null, browser: pick(['Chrome', 'Firefox', null]), browserVersion: null, os: null, device: pick(['desktop', 'mobile', '']), receivedAt: startedAt });
      const pageCount = 1 + int(4);
      for (let p = 0; p < pageCount; p++) {
        const pageId = `${id}-p${p}`;
        const t = startedAt + p * 5000 + int(3) * 1000;
        const views = Array.from({ length: 1 + int(3) }, (_, v) => ({ url: `${ORIGIN}${pick(PATHS)}`, ts: t + v * int(3) * 500 }));
        const urls = [...new Map(views.map((view) => [view.url, view])).values()];
        repos.pages.insert({ sessionId: id, pageId, url: urls[0]!.url, startedAt: t });
        const tracked = random() < 0.3 ? [{ name: pick(['purchase', 'signup']), ts: t + int(4000) }] : [];
        const source = p === 0 && random() < 0.8 ? { ts: t, referrerHost: pick(['', 'google.com', 'news.example']), utmSource: pick(['', 'news', 'ads']) } : null;
        repos.conversions.facts.replaceForPage(id, pageId, { visits: urls, tracked, source });
        // Some flags fall on a page no visit names (its visit was not kept).
        const flags = Array.from({ length: int(3) }, () => randomFlag(random, pageId, random() < 0.15 ? `${ORIGIN}/product/hat?x=1` : pick(urls).url, t + int(6000)));
        repos.friction.replaceForPage(siteId, id, pageId, flags);
        const thanks = urls.find((view) => view.url.includes('/checkout/thanks'));
        if (thanks) repos.conversions.completions.replaceForPage(id, pageId, [{ goalId: onOther ? otherGoal.id : goal.id, ts: thanks.ts }]);
      }
    }
  })();
  return { db, repos, site: repos.sites.findById(site.id)!, goalId: goal.id, end: START + sessions * gap, close: () => (db.close(), rmSync(dataDir, { recursive: true, force: true })) };
}
