// Pure mapping between the URL hash and the viewer's pages.
import { HEATMAP_DEVICES, HEATMAP_KINDS, type HeatmapDevice, type HeatmapKind } from './contract';

import { DEFAULT_OVERVIEW_DAYS, parseOverviewDays, type OverviewDays } from './overview-range';
import { NO_FILTERS, parseSessionFilters, sessionFiltersQuery, type SessionFilters } from './session-filters';
export type Route =
  /** A site's sessions (the route's site, else the remembered one), filtered and sorted; parsed routes always have filters. */
  | { name: 'sessions'; site?: string; filters?: SessionFilters }
  /** A site's friction overview over the last `days` days. */
  | { name: 'overview'; site?: string; days?: OverviewDays }
  /** atMs: where the player opens, from `?t=<ms>` (the recorder's getReplayUrl() links). */
  | { name: 'session'; id: string; atMs?: number }
  | { name: 'sites' }
  /** A page's heatmap; without site or url the view picks the selected site and its most clicked page. */
  | { name: 'heatmap'; site?: string; url?: string; device: HeatmapDevice; kind: HeatmapKind }
  /** Goals, funnels and the impact ranking of a site; `funnel` opens that funnel's report. */
  | { name: 'conversions'; site?: string; funnel?: string }
  /** Forms ranked by abandonment over the last `days` days; `form` on the page `url` opens its field drop-off and abandoning sessions (those that gave up at `field`, when given). */
  | { name: 'forms'; site?: string; days?: OverviewDays; form?: string; url?: string; field?: string }
  | { name: 'not-found'; hash: string };

const HEATMAP_PATH = /^\/heatmap\/?(?:\?(.*))?$/;
const SESSION_PATH = /^\/sessions\/([^/?]+)\/?(?:\?(.*))?$/;
/** Milliseconds from the start of the replay: whole, non-negative numbers only. */
const OFFSET_PARAM = /^\d+$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const list = LIST_PATH.exec(path);
  if (list) return listRoute(list[1] ? 'overview' : 'sessions', new URLSearchParams(list[2] ?? ''));
  if (path === '/sites' || path === '/sites/') return { name: 'sites' };
  const heatmap = HEATMAP_PATH.exec(path);
  if (heatmap) return heatmapRoute(new URLSearchParams(heatmap[1] ?? ''));
  const conversions = CONVERSIONS_PATH.exec(path);
  if (conversions) return conversionsRoute(new URLSearchParams(conversions[1] ?? ''));
  const forms = FORMS_PATH.exec(path);
  if (forms) return formsRoute(new URLSearchParams(forms[1] ?? ''));
  const session = SESSION_PATH.exec(path);
  if (session) {
    const id = safeDecode(session[1]!);
    const t = new URLSearchParams(session[2] ?? '').get('t') ?? '';
    return OFFSET_PARAM.test(t) ? { name: 'session', id, atMs: Number(t) } : { name: 'session', id };
  }
  return { name: 'not-found', hash };
}

export function routeHref(route: Exclude<Route, { name: 'not-found' }>): string {
  switch (route.name) {
    case 'sessions':
    case 'overview':
      return listHref(route);
    case 'sites':
      return '#/sites';
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}${route.atMs === undefined ? '' : `?t=${route.atMs}`}`;
    case 'conversions': {
      const params = new URLSearchParams();
      if (route.site) params.set('site', route.site);
      if (route.funnel) params.set('funnel', route.funnel);
      return `#/conversions${params.size ? `?${params}` : ''}`;
    }
    case 'forms':
      return formsHref(route);
    case 'heatmap': {
      const params = new URLSearchParams();
      if (route.site) params.set('site', route.site);
      if (route.url) params.set('url', route.url);
      params.set('device', route.device);
      params.set('kind', route.kind);
      return `#/heatmap?${params}`;
    }
  }
}

/** Unknown devices and kinds fall back to desktop and all clicks: a shared link stays usable. */
function heatmapRoute(params: URLSearchParams): Route {
  const device = params.get('device') as HeatmapDevice;
  const kind = params.get('kind') as HeatmapKind;
  return {
    name: 'heatmap',
    ...(params.get('site') ? { site: params.get('site')! } : {}),
    ...(params.get('url') ? { url: params.get('url')! } : {}),
    device: HEATMAP_DEVICES.includes(device) ? device : 'desktop',
    kind: HEATMAP_KINDS.includes(kind) ? kind : 'all',
  };
}

/** The server prints a sign-in link ending in `#token=…`; returns that token or null. */
export function tokenFromHash(hash: string): string | null {
  const match = /^#token=(.+)$/.exec(hash);
  return match ? safeDecode(match[1]!).trim() || null : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const CONVERSIONS_PATH = /^\/conversions\/?(?:\?(.*))?$/;

function conversionsRoute(params: URLSearchParams): Route {
  return {
    name: 'conversions',
    ...(params.get('site') ? { site: params.get('site')! } : {}),
    ...(params.get('funnel') ? { funnel: params.get('funnel')! } : {}),
  };
}

const FORMS_PATH = /^\/forms\/?(?:\?(.*))?$/;

/** A field without its form, or a form without its page, names nothing: they are dropped. */
function formsRoute(params: URLSearchParams): Route {
  const form = params.get('form') && params.get('url') ? { form: params.get('form')!, url: params.get('url')! } : null;
  return {
    name: 'forms',
    ...(params.get('site') ? { site: params.get('site')! } : {}),
    days: parseOverviewDays(params.get('days')),
    ...(form ?? {}),
    ...(form && params.get('field') ? { field: params.get('field')! } : {}),
  };
}

function formsHref(route: Extract<Route, { name: 'forms' }>): string {
  const params = new URLSearchParams();
  if (route.site) params.set('site', route.site);
  if (route.days && route.days !== DEFAULT_OVERVIEW_DAYS) params.set('days', String(route.days));
  if (route.form && route.url) {
    params.set('form', route.form);
    params.set('url', route.url);
    if (route.field) params.set('field', route.field);
  }
  return `#/forms${params.size ? `?${params}` : ''}`;
}

/** The session list at `/` and the overview at `/overview`, each with an optional query. */
const LIST_PATH = /^\/(overview\/?)?(?:\?(.*))?$/;

function listRoute(name: 'sessions' | 'overview', params: URLSearchParams): Route {
  const site = params.get('site') ? { site: params.get('site')! } : {};
  return name === 'sessions'
    ? { name, ...site, filters: parseSessionFilters(params) }
    : { name, ...site, days: parseOverviewDays(params.get('days')) };
}

function listHref(route: Extract<Route, { name: 'sessions' | 'overview' }>): string {
  const params = new URLSearchParams(route.site ? { site: route.site } : {});
  if (route.name === 'sessions') {
    for (const [key, value] of sessionFiltersQuery(route.filters ?? NO_FILTERS)) params.set(key, value);
  } else if (route.days && route.days !== DEFAULT_OVERVIEW_DAYS) {
    params.set('days', String(route.days));
  }
  const query = params.size ? `?${params}` : '';
  return route.name === 'sessions' ? `#/${query}` : `#/overview${query}`;
}
