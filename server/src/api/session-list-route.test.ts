import type { eventWithTime } from '@rrweb/types';
import { beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { SessionList, SessionSummary, WatchedMark } from '../api-types';
import type { Detector } from '../detectors/detected-friction';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { SHOP_ORIGIN, adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents } from '../testing/test-app';
import { MAX_SESSION_PAGE_SIZE } from './session-list-route';

let t: BackendTestApp;

const T0 = 1_700_000_000_000;
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const IPAD_UA =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Test detector driven by track events: track('rage_click #apply') raises a rage click on #apply there. */
const fromTracks: Detector = ({ signals }) =>
  signals.flatMap((s) => {
    if (s.k !== 'track') return [];
    const [type, selector] = s.name.split(' ');
    return [{ type, ts: s.t, url: '', selector: selector ?? null, reason: `${type} on ${selector}`, details: {} } as never];
  });

const custom = (ts: number, tag: string, payload: unknown) => ({ type: 5, timestamp: ts, data: { tag, payload } }) as eventWithTime;

interface SessionSeed {
  start: number;
  durationMs?: number;
  ua?: string;
  /** One page load per URL, in order. */
  urls?: string[];
  /** Friction the test detector raises on the first page: 'rage_click #apply'. */
  friction?: string[];
  errors?: number;
  userId?: string;
}

/** Stores a session through the real ingest path: one batch per page load, friction, errors and identify on the first. */
async function seed(id: string, { start, durationMs = 1000, ua, urls = [`${SHOP_ORIGIN}/`], friction = [], errors = 0, userId }: SessionSeed): Promise<void> {
  for (const [index, url] of urls.entries()) {
    const at = start + index * 10;
    const events = sampleEvents(at, 2, url);
    if (index === 0) {
      friction.forEach((name, i) => events.push(custom(at + 100 + i, CUSTOM_EVENT_TAGS.track, { name, props: {} })));
      for (let i = 0; i < errors; i++) events.push(custom(at + 200 + i, CUSTOM_EVENT_TAGS.error, { kind: 'error', message: `boom ${i}` }));
      if (userId) events.push(custom(at + 300, CUSTOM_EVENT_TAGS.identify, { userId, traits: {} }));
    }
    if (index === urls.length - 1) events.push({ type: 3, timestamp: start + durationMs, data: { source: 1, positions: [] } } as eventWithTime);
    const batch = makeBatch({ sessionId: id, seq: index, pageId: `${id}-p${index}`, url, events });
    const res = await postIngest(t.app, t.site.key, gzipJson(batch), ua ? { headers: { 'user-agent': ua } } : {});
    expect(res.status).toBe(200);
  }
}

async function analyse(): Promise<void> {
  const pass = t.analysisPass({ detectors: [{ type: 'rage_click', detect: fromTracks }], log: () => {} });
  while ((await pass.run()).batches > 0);
}

async function list(query: string): Promise<SessionList> {
  const res = await t.app.request(`/api/sessions?site=${t.site.id}${query ? `&${query}` : ''}`, { headers: adminHeaders() });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SessionList;
}

const ids = async (query: string) => (await list(query)).sessions.map((s) => s.id);

/** Every id of a sort, following the cursor `limit` at a time. */
async function pageThrough(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: SessionList = await list(`${query}&limit=${limit}${cursor ? `&before=${cursor}` : ''}`);
    expect(page.sessions.length).toBeLessThanOrEqual(limit);
    seen.push(...page.sessions.map((s) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

async function error(query: string): Promise<{ status: number; code: string; message: string }> {
  const res = await t.app.request(`/api/sessions?site=${t.site.id}&${query}`, { headers: adminHeaders() });
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describeAppOnBothBackends('session list route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('GET /api/sessions, newest first', () => {
    it('lists newest first with id as the tiebreak, and pages through with the cursor', async () => {
      await seed('session-a', { start: T0 });
      await seed('session-b', { start: T0 + 2000 });
      await seed('session-c', { start: T0 + 1000 });
      await seed('session-d', { start: T0 + 1000 });
      await seed('session-e', { start: T0 + 3000 });

      const first = await list('limit=2');
      expect(first.sessions.map((s) => s.id)).toEqual(['session-e', 'session-b']);
      const second = await list(`limit=2&before=${first.nextCursor}`);
      expect(second.sessions.map((s) => s.id)).toEqual(['session-d', 'session-c']);
      const third = await list(`limit=2&before=${second.nextCursor}`);
      expect(third.sessions.map((s) => s.id)).toEqual(['session-a']);
      expect(third.nextCursor).toBeNull();
    });

    it('returns summaries with every field', async () => {
      const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'session-a', events: sampleEvents(T0) })));
      expect(res.status).toBe(200);
      expect(await list('')).toEqual({
        sessions: [
          {
            id: 'session-a',
            siteId: t.site.id,
            startedAt: T0,
            endedAt: T0 + 30,
            durationMs: 30,
            pageCount: 1,
            eventCount: 4,
            entryUrl: `${SHOP_ORIGIN}/`,
            browser: 'Chrome',
            browserVersion: '131.0.0.0',
            os: 'Windows',
            device: 'desktop',
            // Not analysed yet: no friction, no errors, no user; nobody watched it.
            friction: { rage_click: 0, dead_click: 0, form_abandonment: 0, error_loop: 0 },
            frustrationScore: 0,
            errorCount: 0,
            userId: null,
            watchedAt: null,
            firstFrictionAt: {},
          },
        ],
        nextCursor: null,
      });
    });

    it('keeps other sites’ sessions out', async () => {
      await seed('session-a', { start: T0 });
      const other = await t.repos.sites.create({ name: 'Other', origins: ['self'] }, Date.now());
      const res = await t.app.request(`/api/sessions?site=${other.id}`, { headers: adminHeaders() });
      expect(await res.json()).toEqual({ sessions: [], nextCursor: null });
    });

    it(`returns at most ${MAX_SESSION_PAGE_SIZE} sessions a page, however many are asked for`, async () => {
      const stored = MAX_SESSION_PAGE_SIZE + 5;
      for (let i = 0; i < stored; i++) {
        const batch = makeBatch({ sessionId: `session-${String(i).padStart(4, '0')}`, events: sampleEvents(T0 + i * 1000, 2) });
        expect((await postIngest(t.app, t.site.key, gzipJson(batch))).status).toBe(200);
      }
      const first = await list('limit=5000');
      expect(first.sessions).toHaveLength(MAX_SESSION_PAGE_SIZE);
      expect(first.nextCursor).not.toBeNull();
      const rest = await list(`limit=5000&before=${first.nextCursor}`);
      expect(rest.sessions).toHaveLength(5);
      expect(new Set([...first.sessions, ...rest.sessions].map((s) => s.id)).size).toBe(stored);
    });
  });

  describe('GET /api/sessions, filters', () => {
    beforeEach(async () => {
      // Starts are one minute apart, newest last; durations, devices, pages and friction vary.
      await seed('calm-desktop', { start: T0, durationMs: 5_000, urls: [`${SHOP_ORIGIN}/`, `${SHOP_ORIGIN}/product/1`] });
      await seed('rage-phone', { start: T0 + 60_000, durationMs: 90_000, ua: IPHONE_UA, urls: [`${SHOP_ORIGIN}/checkout?step=2`], friction: ['rage_click #pay', 'rage_click #pay'] });
      await seed('form-tablet', { start: T0 + 120_000, durationMs: 30_000, ua: IPAD_UA, urls: [`${SHOP_ORIGIN}/signup`], friction: ['form_abandonment #signup'], userId: 'user-42' });
      await seed('errors-firefox', { start: T0 + 180_000, durationMs: 600_000, ua: FIREFOX_UA, urls: [`${SHOP_ORIGIN}/deal_1`], errors: 3, friction: ['dead_click #photo', 'error_loop #promo'] });
      await seed('wildcard-bait', { start: T0 + 240_000, durationMs: 12_000, urls: [`${SHOP_ORIGIN}/dealX1?off=100xoff`], userId: 'user-7' });
      await seed('percent-page', { start: T0 + 300_000, durationMs: 12_000, urls: [`${SHOP_ORIGIN}/sale?off=100%off`] });
      await analyse();
    });

    it('friction types: sessions with any of them', async () => {
      expect(await ids('friction=rage_click')).toEqual(['rage-phone']);
      expect(await ids('friction=form_abandonment,error_loop')).toEqual(['errors-firefox', 'form-tablet']);
    });

    it('a page visited, by a fragment of its URL, with % and _ matched as typed', async () => {
      expect(await ids('url=/product/')).toEqual(['calm-desktop']);
      expect(await ids('url=CHECKOUT')).toEqual(['rage-phone']);
      expect(await ids('url=deal_1')).toEqual(['errors-firefox']);
      expect(await ids(`url=${encodeURIComponent('100%off')}`)).toEqual(['percent-page']);
      expect(await ids('url=nowhere')).toEqual([]);
    });

    it('date range: started at or after from, before to (ms or ISO dates)', async () => {
      expect(await ids(`from=${T0 + 60_000}&to=${T0 + 180_000}`)).toEqual(['form-tablet', 'rage-phone']);
      expect(await ids(`to=${new Date(T0 + 60_000).toISOString()}`)).toEqual(['calm-desktop']);
      expect(await ids('from=2030-01-01')).toEqual([]);
    });

    it('duration in milliseconds, both bounds inclusive', async () => {
      expect(await ids('minDurationMs=30000')).toEqual(['errors-firefox', 'form-tablet', 'rage-phone']);
      expect(await ids('minDurationMs=12000&maxDurationMs=30000')).toEqual(['percent-page', 'wildcard-bait', 'form-tablet']);
      expect(await ids('maxDurationMs=5000')).toEqual(['calm-desktop']);
    });

    it('device class and browser name (case-insensitive, whole name)', async () => {
      expect(await ids('device=mobile')).toEqual(['rage-phone']);
      expect(await ids('device=tablet')).toEqual(['form-tablet']);
      expect(await ids('device=desktop')).toEqual(['percent-page', 'wildcard-bait', 'errors-firefox', 'calm-desktop']);
      expect(await ids('browser=firefox')).toEqual(['errors-firefox']);
      expect(await ids('browser=Mobile%20Safari')).toEqual(['form-tablet', 'rage-phone']);
      expect(await ids('browser=Safari')).toEqual([]);
    });

    it('has errors, and has none', async () => {
      expect(await ids('errors=true')).toEqual(['errors-firefox']);
      expect((await list('errors=true')).sessions[0]!.errorCount).toBe(3);
      expect(await ids('errors=false')).not.toContain('errors-firefox');
    });

    it('identified users: any, anonymous, or one user id', async () => {
      expect(await ids('identified=true')).toEqual(['wildcard-bait', 'form-tablet']);
      expect(await ids('identified=false')).toEqual(['percent-page', 'errors-firefox', 'rage-phone', 'calm-desktop']);
      expect(await ids('user=user-42')).toEqual(['form-tablet']);
      expect(await ids('user=user-4')).toEqual([]);
    });

    it('combines filters with AND', async () => {
      expect(await ids('device=desktop&minDurationMs=10000&identified=false')).toEqual(['percent-page', 'errors-firefox']);
      expect(await ids('friction=rage_click,dead_click&url=deal')).toEqual(['errors-firefox']);
    });

    it('gives each session the first moment of each of its friction types', async () => {
      const [session] = (await list('friction=error_loop')).sessions;
      expect(session!.firstFrictionAt).toEqual({ dead_click: T0 + 180_100, error_loop: T0 + 180_101 });
      expect((await list('friction=rage_click')).sessions[0]!.firstFrictionAt).toEqual({ rage_click: T0 + 60_100 });
    });

    it('sorts by frustration score, highest first, newest first among equals, through the cursor', async () => {
      const scores = Object.fromEntries((await list('sort=score')).sessions.map((s) => [s.id, s.frustrationScore]));
      // Two rage clicks: 3 × (1 + log2 2); a dead click and an error loop: 1 + 4.
      expect(scores).toMatchObject({ 'rage-phone': 6, 'errors-firefox': 5, 'form-tablet': 3, 'calm-desktop': 0 });
      const expected = ['rage-phone', 'errors-firefox', 'form-tablet', 'percent-page', 'wildcard-bait', 'calm-desktop'];
      expect(await ids('sort=score')).toEqual(expected);
      expect(await pageThrough('sort=score', 1)).toEqual(expected);
      expect(await pageThrough('sort=score', 4)).toEqual(expected);
    });

    it('sorts longest first, id as the tiebreak, through the cursor', async () => {
      const expected = ['errors-firefox', 'rage-phone', 'form-tablet', 'wildcard-bait', 'percent-page', 'calm-desktop'];
      expect(await ids('sort=longest')).toEqual(expected);
      expect(await pageThrough('sort=longest', 1)).toEqual(expected);
      expect(await pageThrough('sort=longest&device=desktop', 1)).toEqual(['errors-firefox', 'wildcard-bait', 'percent-page', 'calm-desktop']);
    });

    it('pages through a filtered newest-first list', async () => {
      expect(await pageThrough('device=desktop', 1)).toEqual(['percent-page', 'wildcard-bait', 'errors-firefox', 'calm-desktop']);
    });

    it('refuses a cursor made for another sort', async () => {
      const { nextCursor } = await list('sort=score&limit=2');
      const refused = await error(`sort=longest&limit=2&before=${nextCursor}`);
      expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
      expect(refused.message).toContain('sort=score');
      expect((await error(`limit=2&before=${nextCursor}`)).status).toBe(400);
    });
  });

  describe('GET /api/sessions, bad input', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['before=garbage', 'cursor'],
      [`before=${forged(['newest', 'soon', 'x'])}`, 'cursor'],
      [`before=${forged(['oldest', 1, 'x'])}`, 'cursor'],
      [`before=${forged([1, 'x'])}`, 'cursor'],
      ['sort=oldest', 'sort'],
      ['friction=angry', 'friction'],
      ['url=', 'url'],
      ['url=LONG', 'url'],
      ['from=yesterday', 'from'],
      ['from=2026-02-01&to=2026-01-01', 'from'],
      ['minDurationMs=-5', 'minDurationMs'],
      ['minDurationMs=1.5', 'minDurationMs'],
      ['minDurationMs=9000&maxDurationMs=10', 'minDurationMs'],
      ['device=phone', 'device'],
      ['errors=yes', 'errors'],
      ['identified=1', 'identified'],
      ['watched=maybe', 'watched'],
      ['minDuration=30', 'minDuration'],
    ])('%s is a 400 naming %s', async (query, name) => {
      // LONG: one character past the longest URL fragment accepted.
      const refused = await error(query.replace('LONG', 'x'.repeat(2049)));
      expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
      expect(refused.message).toContain(name);
    });

    it('answers 400 without a site and 404 for an unknown one', async () => {
      expect((await t.app.request('/api/sessions', { headers: adminHeaders() })).status).toBe(400);
      expect((await t.app.request('/api/sessions?site=nosuchsite', { headers: adminHeaders() })).status).toBe(404);
    });
  });

  describe('PUT and DELETE /api/sessions/:id/watched', () => {
    const call = async (method: string, id: string, headers = adminHeaders()) => {
      const res = await t.app.request(`/api/sessions/${id}/watched`, { method, headers });
      return { status: res.status, body: (await res.json()) as WatchedMark };
    };

    it('marks a session watched and unwatched, shown in the list and filterable', async () => {
      await seed('session-a', { start: T0 });
      await seed('session-b', { start: T0 + 1000 });
      const before = Date.now();
      const marked = await call('PUT', 'session-a');
      expect(marked.status).toBe(200);
      expect(marked.body.id).toBe('session-a');
      expect(marked.body.watchedAt).toBeGreaterThanOrEqual(before);

      const sessions = Object.fromEntries((await list('')).sessions.map((s: SessionSummary) => [s.id, s.watchedAt]));
      expect(sessions).toEqual({ 'session-a': marked.body.watchedAt, 'session-b': null });
      expect(await ids('watched=true')).toEqual(['session-a']);
      expect(await ids('watched=false')).toEqual(['session-b']);

      expect(await call('DELETE', 'session-a')).toEqual({ status: 200, body: { id: 'session-a', watchedAt: null } });
      expect(await ids('watched=true')).toEqual([]);
    });

    it('answers 404 for an unknown session and 401 without the admin token', async () => {
      expect((await call('PUT', 'nosuchsession')).status).toBe(404);
      await seed('session-a', { start: T0 });
      expect((await call('PUT', 'session-a', { authorization: `Bearer ${t.site.key}` })).status).toBe(401);
      expect((await list('')).sessions[0]!.watchedAt).toBeNull();
    });
  });
});
