// The heatmap page picker's list: recorded pages grouped under the site's URL patterns, with clicks and friction, ranked; pure.
import type { HeatmapPage } from '../api-types';
import type { PageCount } from '../repos/friction-repo';
import type { PageTotalsRow } from '../repos/heatmap-queries-repo';
import { heatmapPageKey, splitPageUrl } from './url-pattern';

export const PAGE_LIST_LIMIT = 200;

export function heatmapPageList(
  clickRows: readonly PageTotalsRow[],
  frictionRows: readonly PageCount[],
  patterns: readonly string[],
  sort: 'clicks' | 'friction',
): HeatmapPage[] {
  const pages = new Map<string, HeatmapPage>();
  const pageFor = (path: string): HeatmapPage => {
    const url = heatmapPageKey(path, patterns);
    let page = pages.get(url);
    if (!page) {
      page = { url, pattern: patterns.includes(splitPageUrl(url).pathname), clicks: 0, rageClicks: 0, deadClicks: 0, errorClicks: 0, friction: 0 };
      pages.set(url, page);
    }
    return page;
  };
  for (const row of clickRows) {
    const page = pageFor(row.path);
    page.clicks += row.clicks;
    page.rageClicks += row.rage;
    page.deadClicks += row.dead;
    page.errorClicks += row.error;
  }
  for (const row of frictionRows) pageFor(row.url).friction += row.count;
  const key = (page: HeatmapPage) => (sort === 'clicks' ? [page.clicks, page.friction] : [page.friction, page.clicks]);
  return [...pages.values()]
    .sort((a, b) => key(b)[0]! - key(a)[0]! || key(b)[1]! - key(a)[1]! || a.url.localeCompare(b.url))
    .slice(0, PAGE_LIST_LIMIT);
}
