// Test support: visits that leave a row in every table derived from a session, and counts of those rows per session, for deletion and retention tests.
import type { eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { analyse } from '../conversions/testing/checkout-scenario';
import { fill, recordVisit } from '../conversions/testing/recorded-visits';
import type { Site } from '../api-types';
import type { AppRepos } from '../repos/create-repos';
import { gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from './test-app';

const custom = (t: number, tag: string, payload: unknown) => ({ type: 5, timestamp: t, data: { tag, payload } }) as eventWithTime;

/** Five presses on a button that changes nothing, 150 ms apart: a rage click and a dead click, with heatmap clicks. */
const rage = (t: number) =>
  [0, 1, 2, 3, 4].map((i) =>
    custom(t + i * 150, CUSTOM_EVENT_TAGS.click, {
      x: 100, y: 200, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2400,
      selector: '#pay', offsetX: 0.5, offsetY: 0.5, fixed: false, clickCount: 1, target: { kind: 'button', text: 'Pay', pointer: true },
    }),
  );
const scrolled = (t: number) => [custom(t, CUSTOM_EVENT_TAGS.scrollDepth, { maxY: 1600, documentHeight: 2400, viewportHeight: 800, fraction: 0.66 })];
const identify = (userId: string) => (t: number) => [custom(t, CUSTOM_EVENT_TAGS.identify, { userId, traits: {} })];
const track = (name: string) => (t: number) => [custom(t, CUSTOM_EVENT_TAGS.track, { name, props: {} })];
const failed = (t: number) => [custom(t, CUSTOM_EVENT_TAGS.error, { kind: 'error', message: 'Payment widget failed' })];
/** The browser refuses the postcode: a validation message the form's outcome keeps. */
const refused = (t: number) => [
  custom(t, CUSTOM_EVENT_TAGS.formField, {
    action: 'invalid', field: { selector: '#postcode', kind: 'input:text', name: 'postcode', label: 'postcode', form: '#checkout-form' },
    empty: false, valid: false, validity: ['patternMismatch'], validationMessage: 'Enter a postcode',
  }),
];

/** Tables with a session_id column: every one must lose a deleted session's rows. */
export const SESSION_TABLES = [
  'sessions', 'pages', 'chunks', 'analysis_queue', 'analysis_skipped', 'page_signals', 'page_visits', 'friction', 'heatmap_loads', 'heatmap_clicks',
  'heatmap_scrolls', 'goal_completions', 'form_outcomes', 'form_outcome_fields', 'form_outcome_errors', 'tracked_events', 'session_sources',
] as const;

/** The heatmap tables kept up by triggers, and the sum each must equal over the click and scroll rows left. */
export const HEATMAP_AGGREGATES: ReadonlyArray<[table: string, total: string, rows: string]> = [
  ['heatmap_cells', 'SELECT coalesce(sum(clicks), 0) FROM heatmap_cells', 'SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL'],
  ['heatmap_cell_days', 'SELECT coalesce(sum(clicks), 0) FROM heatmap_cell_days', 'SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL'],
  ['heatmap_cell_weeks', 'SELECT coalesce(sum(clicks), 0) FROM heatmap_cell_weeks', 'SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL'],
  ['heatmap_element_days', 'SELECT coalesce(sum(clicks), 0) FROM heatmap_element_days', 'SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL'],
  ['heatmap_page_days', 'SELECT coalesce(sum(clicks), 0) FROM heatmap_page_days', 'SELECT count(*) FROM heatmap_clicks WHERE page_ref IS NOT NULL'],
  ['heatmap_scroll_days', 'SELECT coalesce(sum(views), 0) FROM heatmap_scroll_days', 'SELECT count(*) FROM heatmap_scrolls WHERE page_ref IS NOT NULL AND device IS NOT NULL'],
];

/** A goal the visits below complete, so goal_completions gets rows (on SQLite it is made before the first await). */
export async function addPurchaseGoal(t: { repos: AppRepos; site: Site }): Promise<void> {
  await t.repos.conversions.goals.create(t.site.id, { name: 'Purchase', kind: 'event', event: 'purchase' }, Date.now());
}

/**
 * One visit of three pages through the real ingest route: an identified shopper who rage-clicks a
 * dead Pay button, scrolls, hits an error, fills a checkout form, is told the postcode is wrong and leaves it, then buys. Not analysed.
 */
export async function recordDerivedVisit(t: Pick<TestApp, 'app' | 'site'>, sessionId: string, start: number, userId = 'user-1'): Promise<void> {
  await recordVisit(t, sessionId, start, [
    { path: '/cart.html?utm_source=news', at: 0, referrer: 'https://news.example/', actions: [identify(userId), rage, scrolled, failed], stayMs: 1000 },
    { path: '/checkout.html', at: 20_000, actions: [fill('#email', 11), fill('#postcode', 13), refused], stayMs: 1000 },
    { path: '/thanks.html', at: 40_000, actions: [track('purchase')] },
  ]);
}

export { analyse };

/**
 * A small visit of one final batch per user id, each page identifying the visitor as that id (the
 * session's user is the last one), sent to `site` (the test app's shop by default). Not analysed.
 */
export async function identifiedVisit(t: Pick<TestApp, 'app' | 'site'>, sessionId: string, start: number, userIds: readonly string[], site: Site = t.site): Promise<void> {
  const origin = site.origins[0]!;
  for (const [seq, userId] of userIds.entries()) {
    const at = start + seq * 10_000;
    const url = `${origin}/account-${seq}`;
    const events = [...sampleEvents(at, 3, url), identify(userId)(at + 100)[0]!];
    const batch = makeBatch({ sessionId, seq, pageId: `${sessionId}-p${seq}`, url, events, final: true });
    const res = await postIngest(t.app, site.key, gzipJson(batch));
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
}

/** Rows of each session table that belong to the session. */
export function rowsOf(t: TestApp, sessionId: string): Record<(typeof SESSION_TABLES)[number], number> {
  const counts = {} as Record<(typeof SESSION_TABLES)[number], number>;
  for (const table of SESSION_TABLES) {
    const column = table === 'sessions' ? 'id' : 'session_id';
    counts[table] = t.db.prepare(`SELECT count(*) FROM ${table} WHERE ${column} = ?`).pluck().get(sessionId) as number;
  }
  return counts;
}

/** Each heatmap aggregate's total beside the count of rows it sums: equal when the triggers kept up. */
export function heatmapTotals(t: TestApp): Record<string, [total: number, rows: number]> {
  return Object.fromEntries(HEATMAP_AGGREGATES.map(([table, total, rows]) => [table, [t.db.prepare(total).pluck().get() as number, t.db.prepare(rows).pluck().get() as number]]));
}

/** Placeholders `?` on both backends, as BackendTestApp's rows. */
type Queryable = { rows<T>(sql: string, values?: unknown[]): Promise<T[]> };

/** The one value a count or sum answers (a bigint PostgreSQL sends as a string to a plain pool). */
const countOf = async (t: Queryable, sql: string, values: unknown[] = []): Promise<number> => Number(Object.values((await t.rows<Record<string, unknown>>(sql, values))[0]!)[0]);

/** rowsOf on either backend. */
export async function sessionRows(t: Queryable, sessionId: string): Promise<Record<(typeof SESSION_TABLES)[number], number>> {
  const counts = {} as Record<(typeof SESSION_TABLES)[number], number>;
  for (const table of SESSION_TABLES) counts[table] = await countOf(t, `SELECT count(*) FROM ${table} WHERE ${table === 'sessions' ? 'id' : 'session_id'} = ?`, [sessionId]);
  return counts;
}

/** heatmapTotals on either backend. */
export async function heatmapTotalsOn(t: Queryable): Promise<Record<string, [total: number, rows: number]>> {
  const totals: Record<string, [number, number]> = {};
  for (const [table, total, rows] of HEATMAP_AGGREGATES) totals[table] = [await countOf(t, total), await countOf(t, rows)];
  return totals;
}
