// Where the friction overview's rows lead: the session list filtered to them, and the page's heatmap.
import type { FrictionType } from './contract';
import { FRICTION_LABELS } from './friction-labels';
import { routeHref } from './route';
import { NO_FILTERS } from './session-filters';

/** Sessions of the site with these friction types on a page whose URL contains `url`, started since `from` (YYYY-MM-DD). */
export function frictionSessionsHref(site: string, types: readonly FrictionType[], url: string | null, from: string): string {
  return routeHref({ name: 'sessions', site, filters: { ...NO_FILTERS, friction: [...types], url: url ?? '', from } });
}

/** The page's desktop heatmap, showing the clicks of the friction type when the heatmap has such a kind. */
export function pageHeatmapHref(site: string, url: string, type?: FrictionType): string {
  return routeHref({ name: 'heatmap', site, url, device: 'desktop', kind: type ? FRICTION_LABELS[type].heatmapKind : 'all' });
}
