// GET /api/heatmap…: a page's click heatmap, its pages, elements, the sessions behind an element, its scroll map and the snapshot to draw over.
import { gunzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  HEATMAP_DEVICES,
  HEATMAP_KINDS,
  type HeatmapData,
  type HeatmapElementList,
  type HeatmapElementSessionList,
  type HeatmapKind,
  type HeatmapPageList,
  type HeatmapScroll,
  type HeatmapSnapshot,
  type Site,
} from '../api-types';
import { ApiError } from '../errors/api-error';
import { binCentre } from '../heatmaps/click-row';
import { DAY_MS, FALLBACK_X_SCALE, HEATMAP_SCROLL_STEPS } from '../heatmaps/heatmap-constants';
import { heatmapPageList } from '../heatmaps/heatmap-page-list';
import { resolveHeatmapPage } from '../heatmaps/resolve-heatmap-page';
import { snapshotEvents } from '../heatmaps/snapshot-events';
import type { AppRepos } from '../repos/create-repos';
import type { DayRange } from '../repos/heatmap-queries-repo';
import { parseQuery } from './parse-input';
import { siteIdParam, timeParam } from './query-fields';

/** A snapshot moment is settled when the visitor first acted this long or more after the page was taken: load-time rendering is done. */
export const SNAPSHOT_SETTLE_MS = 1000;
/** A load whose visitor never acted is taken this long after its snapshot. */
export const SNAPSHOT_MAX_WAIT_MS = 30_000;
/** A replay opened from the element table starts this long before the click, so the click is seen happening. */
export const REPLAY_LEAD_MS = 1000;
export const ELEMENT_LIST_LIMIT = 50;
export const ELEMENT_SESSIONS_LIMIT = 50;

const device = z.enum(HEATMAP_DEVICES).default('desktop');
const kind = z.enum(HEATMAP_KINDS).default('all');
const range = { from: timeParam.optional(), to: timeParam.optional() };
const pageQuery = z.object({ site: siteIdParam, url: z.string().min(1).max(2048), device, kind, ...range });
const pagesQuery = z.object({ site: siteIdParam, device: z.enum(HEATMAP_DEVICES).optional(), sort: z.enum(['clicks', 'friction']).default('clicks'), ...range });
const elementQuery = pageQuery.extend({ selector: z.string().max(2048) });

/** The request's bounds widened to whole UTC days (aggregates are kept per day); null when it gives none. */
function dayRange(from: number | undefined, to: number | undefined): DayRange | null {
  if (from === undefined && to === undefined) return null;
  if (from !== undefined && to !== undefined && from >= to) throw new ApiError(400, 'invalid_request', '"from" must be before "to"');
  return { from: from === undefined ? -1e9 : Math.floor(from / DAY_MS), to: to === undefined ? 1e9 : Math.floor((to - 1) / DAY_MS) };
}

const bound = (day: number, atEnd: boolean): number | null => (Math.abs(day) >= 1e9 ? null : (day + (atEnd ? 1 : 0)) * DAY_MS);
const kindCount = (row: { clicks: number; rage: number; dead: number; error: number }, which: HeatmapKind): number => (which === 'all' ? row.clicks : row[which]);

export function createHeatmapRoute(repos: AppRepos): Hono {
  const { sites, friction, heatmaps } = repos;
  const app = new Hono();

  async function siteOf(id: string): Promise<Site> {
    const site = await sites.findById(id);
    if (!site) throw new ApiError(404, 'not_found', `No site ${id}`);
    return site;
  }
  async function pageOf(site: Site, url: string) {
    return resolveHeatmapPage(url, site.urlPatterns, await heatmaps.keys.pagesOfSite(site.id));
  }

  app.get('/', async (c) => {
    const query = parseQuery(pageQuery, c.req.query());
    const site = await siteOf(query.site);
    const page = await pageOf(site, query.url);
    const days = dayRange(query.from, query.to);
    const selectors: string[] = [];
    const selectorIndex = new Map<string, number>();
    const cells: HeatmapData['cells'] = [];
    let total = 0;
    for (const row of await heatmaps.queries.cells(site.id, page.pageRefs, query.device, days)) {
      const n = kindCount(row, query.kind);
      if (n === 0) continue;
      total += n;
      let s = selectorIndex.get(row.selector);
      if (s === undefined) selectorIndex.set(row.selector, (s = selectors.push(row.selector) - 1));
      cells.push({
        s,
        fx: binCentre(row.binX),
        fy: binCentre(row.binY),
        n,
        x: Math.round((row.sumX / row.clicks / FALLBACK_X_SCALE) * 10_000) / 10_000,
        y: Math.round(row.sumY / row.clicks),
        fixed: row.fixed * 2 > row.clicks,
      });
    }
    const body: HeatmapData = { url: page.url, device: query.device, kind: query.kind, from: days && bound(days.from, false), to: days && bound(days.to, true), total, selectors, cells };
    return c.json(body);
  });

  app.get('/pages', async (c) => {
    const query = parseQuery(pagesQuery, c.req.query());
    const site = await siteOf(query.site);
    const days = dayRange(query.from, query.to);
    const frictionRows = await friction.countsByPage(site.id, days ? Math.max(0, days.from * DAY_MS) : 0, days ? Math.min(8.64e15, (days.to + 1) * DAY_MS) : 8.64e15, 1000);
    const pages = heatmapPageList(await heatmaps.queries.pageTotals(site.id, query.device ?? null, days), frictionRows, site.urlPatterns, query.sort);
    return c.json({ pages } satisfies HeatmapPageList);
  });

  app.get('/elements', async (c) => {
    const query = parseQuery(pageQuery, c.req.query());
    const site = await siteOf(query.site);
    const page = await pageOf(site, query.url);
    const rows = (await heatmaps.queries.elements(site.id, page.pageRefs, query.device, dayRange(query.from, query.to))).filter((row) => kindCount(row, query.kind) > 0);
    rows.sort((a, b) => kindCount(b, query.kind) - kindCount(a, query.kind) || a.selector.localeCompare(b.selector));
    const body: HeatmapElementList = {
      total: rows.reduce((sum, row) => sum + kindCount(row, query.kind), 0),
      elements: rows.slice(0, ELEMENT_LIST_LIMIT).map(({ selector, label, clicks, rage, dead, error }) => ({ selector, label, clicks, rageClicks: rage, deadClicks: dead, errorClicks: error })),
    };
    return c.json(body);
  });

  app.get('/element-sessions', async (c) => {
    const query = parseQuery(elementQuery, c.req.query());
    const site = await siteOf(query.site);
    const page = await pageOf(site, query.url);
    const days = dayRange(query.from, query.to);
    const from = days ? bound(days.from, false) ?? -8.64e15 : -8.64e15;
    const to = days ? bound(days.to, true) ?? 8.64e15 : 8.64e15;
    const rows = await heatmaps.queries.elementSessions(site.id, page.pageRefs, query.device, query.selector, query.kind, from, to, ELEMENT_SESSIONS_LIMIT);
    const body: HeatmapElementSessionList = {
      sessions: rows.map(({ sessionId, startedAt, clickTs, clicks, rage, dead, error }) => ({
        sessionId,
        clickTs,
        atMs: Math.max(0, clickTs - startedAt - REPLAY_LEAD_MS),
        clicks,
        rageClicks: rage,
        deadClicks: dead,
        errorClicks: error,
      })),
    };
    return c.json(body);
  });

  app.get('/scroll', async (c) => {
    const query = parseQuery(pageQuery, c.req.query());
    const site = await siteOf(query.site);
    const page = await pageOf(site, query.url);
    const rows = await heatmaps.queries.scrollSteps(site.id, page.pageRefs, query.device, dayRange(query.from, query.to));
    const views = rows.reduce((sum, row) => sum + row.views, 0);
    const steps: HeatmapScroll['steps'] = [];
    for (let step = 0; step <= HEATMAP_SCROLL_STEPS; step++) {
      const reached = rows.reduce((sum, row) => sum + (row.step >= step ? row.views : 0), 0);
      steps.push({ depth: step / HEATMAP_SCROLL_STEPS, reached: views ? Math.round((reached / views) * 1000) / 1000 : 0 });
    }
    const body: HeatmapScroll = {
      views,
      steps,
      averageFold: views ? Math.round(rows.reduce((sum, row) => sum + row.sumFold, 0) / views) / 1000 : null,
      averageFoldPx: views ? Math.round(rows.reduce((sum, row) => sum + row.sumViewportHeight, 0) / views) : null,
    };
    return c.json(body);
  });

  app.get('/snapshot', async (c) => {
    const query = parseQuery(pageQuery, c.req.query());
    const site = await siteOf(query.site);
    const page = await pageOf(site, query.url);
    const load = await heatmaps.loads.choose(site.id, page.pageRefs, query.device, SNAPSHOT_SETTLE_MS);
    if (!load) throw new ApiError(404, 'not_found', `No recorded load of ${page.url} on ${query.device} to draw over`);
    const until = load.momentTs ?? load.snapshotTs + SNAPSHOT_MAX_WAIT_MS;
    const events: eventWithTime[] = [];
    for (const body of await heatmaps.loads.bodiesUntil(load.sessionId, load.pageId, until)) {
      try {
        events.push(...(JSON.parse(gunzipSync(body).toString('utf8')) as { events: eventWithTime[] }).events);
      } catch {
        // An unreadable batch (the analysis pass skipped it too): the page is rebuilt from the others.
      }
    }
    const kept = snapshotEvents(events, load.snapshotTs, until);
    if (kept.length === 0) throw new ApiError(404, 'not_found', `The recorded load of ${page.url} on ${query.device} has no snapshot`);
    const meta = kept[0]!.data as { href?: unknown };
    const body: HeatmapSnapshot = {
      sessionId: load.sessionId,
      pageId: load.pageId,
      url: typeof meta.href === 'string' ? meta.href : page.url,
      width: load.width,
      height: load.height,
      momentTs: Math.min(until, kept[kept.length - 1]!.timestamp),
      events: kept,
    };
    return c.json(body);
  });

  return app;
}
