import type { eventWithTime } from '@rrweb/types';
import { beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { FRICTION_TYPES, type FrictionSummary, type FrictionTimeseries, type SessionFriction, type SessionList } from '../api-types';
import type { Detector } from '../detectors/detected-friction';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents } from '../testing/test-app';

const T0 = 1_700_000_000_000;
let t: BackendTestApp;

/** Test detectors driven by track events: track('rage') raises a rage click there, and so on. */
const fromTracks: Detector = ({ signals }) =>
  signals.flatMap((s) => {
    if (s.k !== 'track') return [];
    const [type, selector] = s.name.split(' ');
    return [{ type, ts: s.t, url: '', selector: selector ?? null, reason: `${type} on ${selector}`, details: {} } as never];
  });

const track = (ts: number, name: string) => ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.track, payload: { name, props: {} } } }) as eventWithTime;

async function session(id: string, start: number, names: string[], url = 'https://shop.example/checkout?step=2'): Promise<void> {
  const events = [...sampleEvents(start, 2, url), ...names.map((name, i) => track(start + 100 + i, name))];
  const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: id, pageId: `page-${id}`, url, events })));
  expect(res.status).toBe(200);
}

async function analyse(): Promise<void> {
  await t.analysisPass({ detectors: [{ type: 'rage_click', detect: fromTracks }], log: () => {} }).run();
}

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await t.app.request(path, { headers: adminHeaders() });
  return { status: res.status, body: (await res.json()) as T };
}

describeAppOnBothBackends('friction API', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('friction API', () => {
    beforeEach(async () => {
      await session('session-calm', T0, []);
      await session('session-rage', T0 + 1000, ['rage_click #apply', 'rage_click #apply']);
      await session('session-mixed', T0 + 2000, ['dead_click #photo', 'error_loop #promo', 'rage_click #apply'], 'https://shop.example/product/1');
      await analyse();
    });

    it('GET /api/sessions/:id/friction lists a session\'s flags in time order with page, URL and reason', async () => {
      const { status, body } = await getJson<SessionFriction>('/api/sessions/session-mixed/friction');
      expect(status).toBe(200);
      expect(body.friction.map((f) => [f.type, f.selector])).toEqual([
        ['dead_click', '#photo'],
        ['error_loop', '#promo'],
        ['rage_click', '#apply'],
      ]);
      expect(body.friction[0]).toMatchObject({ pageId: 'page-session-mixed', url: 'https://shop.example/product/1', reason: 'dead_click on #photo', ts: T0 + 2100 });
      expect((await getJson('/api/sessions/nope/friction')).status).toBe(404);
    });

    it('filters the session list by friction type, with counts and a score on every session', async () => {
      const rage = await getJson<SessionList>(`/api/sessions?site=${t.site.id}&friction=rage_click`);
      expect(rage.body.sessions.map((s) => s.id)).toEqual(['session-mixed', 'session-rage']);
      expect(rage.body.sessions[1]!.friction).toEqual({ rage_click: 2, dead_click: 0, form_abandonment: 0, error_loop: 0 });
      expect(rage.body.sessions[1]!.frustrationScore).toBe(6);
      const either = await getJson<SessionList>(`/api/sessions?site=${t.site.id}&friction=error_loop,dead_click`);
      expect(either.body.sessions.map((s) => s.id)).toEqual(['session-mixed']);
      const all = await getJson<SessionList>(`/api/sessions?site=${t.site.id}`);
      expect(all.body.sessions.map((s) => s.frustrationScore)).toEqual([8, 6, 0]);
    });

    it('refuses an unknown friction type with a 400 that lists the valid ones', async () => {
      const { status, body } = await getJson<{ error: { code: string; message: string } }>(`/api/sessions?site=${t.site.id}&friction=rage_click,angry`);
      expect(status).toBe(400);
      expect(body.error.code).toBe('invalid_request');
      for (const type of FRICTION_TYPES) expect(body.error.message).toContain(type);
      expect(body.error.message).toContain('"angry"');
    });

    it('summarises per type, per page path and per target within the time range', async () => {
      const { status, body } = await getJson<FrictionSummary>(`/api/friction/summary?site=${t.site.id}&from=${T0}&to=${T0 + 10_000}`);
      expect(status).toBe(200);
      expect(body.byType).toEqual({ rage_click: { count: 3, sessions: 2 }, dead_click: { count: 1, sessions: 1 }, form_abandonment: { count: 0, sessions: 0 }, error_loop: { count: 1, sessions: 1 } });
      expect(body.byPage).toEqual([
        { url: 'https://shop.example/product/1', count: 3, sessions: 1, byType: { rage_click: 1, dead_click: 1, form_abandonment: 0, error_loop: 1 } },
        { url: 'https://shop.example/checkout', count: 2, sessions: 1, byType: { rage_click: 2, dead_click: 0, form_abandonment: 0, error_loop: 0 } },
      ]);
      expect(body.byTarget[0]).toMatchObject({ type: 'rage_click', url: 'https://shop.example/checkout', selector: '#apply', count: 2, sessions: 1 });
      const later = await getJson<FrictionSummary>(`/api/friction/summary?site=${t.site.id}&from=2030-01-01&to=2030-02-01T00:00:00Z`);
      expect(later.body.byType.rage_click.count).toBe(0);
    });

    it('counts flags per type per UTC day, with empty days as zeros', async () => {
      const day = 86_400_000;
      const start = Math.floor(T0 / day) * day;
      const { status, body } = await getJson<FrictionTimeseries>(`/api/friction/timeseries?site=${t.site.id}&from=${T0 - 2 * day}&to=${T0 + day}`);
      expect(status).toBe(200);
      expect(body.bucket).toBe('day');
      expect(body.from).toBe(start - 2 * day);
      expect(body.buckets.map((b) => b.start)).toEqual([start - 2 * day, start - day, start, start + day]);
      expect(body.buckets.map((b) => b.counts.rage_click)).toEqual([0, 0, 3, 0]);
      expect(body.buckets[2]!.counts).toEqual({ rage_click: 3, dead_click: 1, form_abandonment: 0, error_loop: 1 });
    });

    it('counts per hour over two days or less, and refuses a range longer than two years', async () => {
      const hour = 3_600_000;
      const { body } = await getJson<FrictionTimeseries>(`/api/friction/timeseries?site=${t.site.id}&from=${T0 - 3 * hour}&to=${T0 + 2 * hour}`);
      expect(body.bucket).toBe('hour');
      expect(body.buckets).toHaveLength(6);
      const totals = body.buckets.map((b) => FRICTION_TYPES.reduce((sum, type) => sum + b.counts[type], 0));
      expect(totals).toEqual([0, 0, 0, 5, 0, 0]);
      const tooLong = await getJson<{ error: { message: string } }>(`/api/friction/timeseries?site=${t.site.id}&from=2020-01-01&to=2026-01-01`);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toContain('731 days');
    });

    it('refuses a malformed date, reversed bounds and an unknown site', async () => {
      expect((await getJson(`/api/friction/summary?site=${t.site.id}&from=yesterday`)).status).toBe(400);
      expect((await getJson(`/api/friction/summary?site=${t.site.id}&from=${T0 + 5}&to=${T0}`)).status).toBe(400);
      expect((await getJson('/api/friction/summary?site=nope')).status).toBe(404);
      expect((await getJson('/api/friction/summary')).status).toBe(400);
      expect((await getJson(`/api/friction/timeseries?site=${t.site.id}&to=${T0}&from=${T0 + 5}`)).status).toBe(400);
      expect((await getJson('/api/friction/timeseries?site=nope')).status).toBe(404);
    });

    it('is admin only', async () => {
      expect((await t.app.request(`/api/friction/summary?site=${t.site.id}`)).status).toBe(401);
      expect((await t.app.request('/api/sessions/session-rage/friction', { headers: { authorization: `Bearer ${t.site.key}` } })).status).toBe(401);
    });
  });
});
