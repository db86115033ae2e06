// Deleting a session, and every session of a user, with all the rows derived from them: on SQLite and on PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeletedUserSessions } from '../api-types';
import { SESSION_COOKIE_NAME } from '../auth/session-cookie';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { addPurchaseGoal, analyse, heatmapTotalsOn, identifiedVisit, recordDerivedVisit, sessionRows, SESSION_TABLES } from '../testing/derived-rows';
import { adminHeaders, TEST_ADMIN_TOKEN } from '../testing/test-app';
import { DELETE_SLICE_SESSIONS } from './session-deletion-route';

const T0 = 1_700_000_000_000;
const VIEWER = 'http://fl.example';
let t: BackendTestApp;
const rowsOf = (sessionId: string) => sessionRows(t, sessionId);

const del = (path: string, headers: Record<string, string> = adminHeaders()) => t.app.request(path, { method: 'DELETE', headers: { host: 'fl.example', ...headers } });
const noRows = Object.fromEntries(SESSION_TABLES.map((table) => [table, 0]));

/** The heatmap aggregates agree with the click and scroll rows left, and those are `clicks` and `scrolls`. */
async function expectHeatmapsOf(clicks: number, scrolls: number): Promise<void> {
  for (const [table, [total, rows]] of Object.entries(await heatmapTotalsOn(t))) {
    expect(total, table).toBe(rows);
    expect(rows, table).toBe(table === 'heatmap_scroll_days' ? scrolls : clicks);
  }
}

async function signIn(): Promise<string> {
  const res = await t.app.request('/api/auth/session', {
    method: 'POST',
    headers: { host: 'fl.example', origin: VIEWER, 'content-type': 'application/json' },
    body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
  });
  expect(res.status).toBe(201);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describeAppOnBothBackends('session deletion', (backend) => {
  beforeEach(async () => {
    t = backend();
    await addPurchaseGoal(t);
  });
  afterEach(() => {
    expect(t.errors).toEqual([]);
  });

  describe('DELETE /api/sessions/:id', () => {
    it('deletes the session with every row derived from it, keeps the heatmap aggregates equal to what is left, and leaves other sessions alone', async () => {
      await recordDerivedVisit(t, 'session-a', T0);
      await recordDerivedVisit(t, 'session-b', T0 + 60_000);
      await analyse(t);
      await t.repos.pageSignals.recordSkipped('session-a', 0, 'unreadable', Date.now());
      const a = await rowsOf('session-a');
      const b = await rowsOf('session-b');
      // Every derived table has rows of the session, so the test below can see each one go.
      expect(Object.entries(a).filter(([table, rows]) => rows === 0 && table !== 'analysis_queue')).toEqual([]);
      await expectHeatmapsOf(a.heatmap_clicks + b.heatmap_clicks, a.heatmap_scrolls + b.heatmap_scrolls);

      const res = await del('/api/sessions/session-a');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: 'session-a', deleted: true });
      expect(await rowsOf('session-a')).toEqual(noRows);
      expect(await rowsOf('session-b')).toEqual(b);
      await expectHeatmapsOf(b.heatmap_clicks, b.heatmap_scrolls);
      // SQLite checks foreign keys only when asked; PostgreSQL's are checked by every statement, and the delete would have failed.
      if (t.db) expect(t.db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);

      for (const path of ['/api/sessions/session-a', '/api/sessions/session-a/events', '/api/sessions/session-a/timeline']) {
        expect((await t.app.request(path, { headers: adminHeaders() })).status, path).toBe(404);
      }
      expect((await t.app.request('/api/sessions/session-b/events', { headers: adminHeaders() })).status).toBe(200);
      const again = await del('/api/sessions/session-a');
      expect(again.status).toBe(404);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });

    it('takes a session not analysed yet out of the analysis queue; the next pass analyses only the others', async () => {
      await recordDerivedVisit(t, 'session-a', T0);
      await recordDerivedVisit(t, 'session-b', T0 + 60_000);
      expect((await rowsOf('session-a')).analysis_queue).toBe(3);
      expect((await del('/api/sessions/session-a')).status).toBe(200);
      expect(await rowsOf('session-a')).toEqual(noRows);
      const result = await t.analysisPass({ log: () => {} }).run();
      expect(result).toMatchObject({ batches: 3, skipped: 0 });
      expect(await rowsOf('session-a')).toEqual(noRows);
      expect((await rowsOf('session-b')).friction).toBeGreaterThan(0);
    });
  });

  describe('DELETE /api/sites/:id/users/:userId', () => {
    it('deletes every session any page of which identified the user, on this site only, and says how many batches analysis has not read', async () => {
      await recordDerivedVisit(t, 'session-a', T0, 'user-1');
      await recordDerivedVisit(t, 'session-b', T0 + 60_000, 'user-2');
      // Identified as user-1 on its first page, as user-2 on a later one: the session's user is user-2, but user-1 is in it.
      await identifiedVisit(t, 'session-c', T0 + 120_000, ['user-1', 'user-2']);
      await analyse(t);
      const other = await t.repos.sites.create({ name: 'Other', origins: ['https://other.example'] }, Date.now());
      await identifiedVisit(t, 'session-d', T0, ['user-1'], other);
      await analyse(t);
      // Not analysed yet: its identify call is unknown to the server until the pass reads it.
      await identifiedVisit(t, 'session-e', T0 + 180_000, ['user-1']);
      expect((await t.repos.sessions.get('session-c'))?.userId).toBe('user-2');
      const b = await rowsOf('session-b');

      const res = await del(`/api/sites/${t.site.id}/users/user-1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ siteId: t.site.id, userId: 'user-1', deletedSessions: 2, pendingBatches: 1 } satisfies DeletedUserSessions);
      expect(await rowsOf('session-a')).toEqual(noRows);
      expect(await rowsOf('session-c')).toEqual(noRows);
      expect(await rowsOf('session-b')).toEqual(b);
      expect((await rowsOf('session-d')).sessions).toBe(1);

      // Once analysis has read it, asking again deletes the late one too.
      await analyse(t);
      expect(await (await del(`/api/sites/${t.site.id}/users/user-1`)).json()).toMatchObject({ deletedSessions: 1, pendingBatches: 0 });
      expect(await rowsOf('session-e')).toEqual(noRows);
    });

    it(`deletes more sessions than one slice (${DELETE_SLICE_SESSIONS}) in one request`, async () => {
      const count = DELETE_SLICE_SESSIONS + 3;
      for (let i = 0; i < count; i++) await identifiedVisit(t, `session-${String(i).padStart(3, '0')}`, T0 + i * 1000, ['user-many']);
      await identifiedVisit(t, 'session-keep', T0, ['user-other']);
      await analyse(t);
      const res = await del(`/api/sites/${t.site.id}/users/user-many`);
      expect(await res.json()).toMatchObject({ deletedSessions: count, pendingBatches: 0 });
      expect(await t.rows('SELECT id FROM sessions')).toEqual([{ id: 'session-keep' }]);
    });

    it('answers 404 for an unknown site and 0 for a user never seen; a user id with slashes and spaces is taken as it is', async () => {
      expect((await del('/api/sites/nosuchsite0001/users/user-1')).status).toBe(404);
      expect(await (await del(`/api/sites/${t.site.id}/users/nobody`)).json()).toMatchObject({ deletedSessions: 0 });
      await identifiedVisit(t, 'session-mail', T0, ['ann smith/ann@example.com']);
      await analyse(t);
      const res = await del(`/api/sites/${t.site.id}/users/${encodeURIComponent('ann smith/ann@example.com')}`);
      expect(await res.json()).toMatchObject({ userId: 'ann smith/ann@example.com', deletedSessions: 1 });
    });
  });

  describe('who may delete', () => {
    it('refuses a site key, no credential, a made-up cookie and a cookie request from another origin, deleting nothing; the viewer’s own page may', async () => {
      await recordDerivedVisit(t, 'session-a', T0, 'user-1');
      await analyse(t);
      const before = await rowsOf('session-a');
      const cookie = await signIn();
      const attempts: Array<[string, Record<string, string>, number]> = [
        ['no credential', {}, 401],
        ['the site key as Bearer', { authorization: `Bearer ${t.site.key}` }, 401],
        ['the site key as the cookie', { cookie: `${SESSION_COOKIE_NAME}=${t.site.key}`, origin: VIEWER }, 401],
        ['the cookie without Origin', { cookie }, 403],
        ['the cookie from another site', { cookie, origin: 'https://evil.example' }, 403],
        ['the cookie from a sibling subdomain', { cookie, origin: 'http://evil.fl.example', 'sec-fetch-site': 'same-site' }, 403],
      ];
      for (const path of ['/api/sessions/session-a', `/api/sites/${t.site.id}/users/user-1`]) {
        for (const [label, headers, status] of attempts) expect((await del(path, headers)).status, `${path} with ${label}`).toBe(status);
        // The site key reads nothing either.
        for (const read of [`/api/sessions?site=${t.site.id}`, '/api/sessions/session-a', '/api/sessions/session-a/events', `/api/sessions?site=${t.site.id}&user=user-1`]) {
          expect((await t.app.request(read, { headers: { authorization: `Bearer ${t.site.key}` } })).status, read).toBe(401);
        }
      }
      expect(await rowsOf('session-a')).toEqual(before);
      const res = await del('/api/sessions/session-a', { cookie, origin: VIEWER });
      expect(res.status).toBe(200);
      expect(await rowsOf('session-a')).toEqual(noRows);
    });
  });
});
