import type { eventWithTime } from '@rrweb/types';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FormAbandonmentList, FormDropOff, FormList } from '../api-types';
import { analyse } from '../conversions/testing/checkout-scenario';
import { recordVisit, track, type PageLoad } from '../conversions/testing/recorded-visits';
import { CHECKOUT, EMAIL, FULL_NAME, POSTCODE, fillField, submitForm, type Emit } from '../forms/testing/form-visits';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest, SHOP_ORIGIN } from '../testing/test-app';

const T0 = 1_700_000_000_000;
const GAP_MS = 600_000;
const UK = 'Enter a valid postcode for United Kingdom, e.g. SW1A 1AA.';
const REQUIRED = 'Enter your postcode.';
const BAD_EMAIL = 'Enter an email address like name@example.com.';
const CHECKOUT_URL = `${SHOP_ORIGIN}/checkout.html`;
const SIGNUP = '#signup-form';

const checkout = (at: number, actions: Emit[]): PageLoad => ({ path: '/checkout.html', at, actions });
const thanks = (at: number): PageLoad => ({ path: '/thanks.html', at, actions: [track('purchase')] });
const cart: PageLoad = { path: '/cart.html', at: 0 };
const filled = [fillField(EMAIL), fillField(FULL_NAME), fillField(POSTCODE)];

/**
 * Sessions start GAP_MS apart in this order; each opens the cart at 0 and the checkout 10 s later,
 * whose actions come a second apart from 11 s. By hand, for #checkout-form on /checkout.html:
 * - 0-2 postcode: email, name, postcode refused with UK, left: abandoned at the postcode at 13.5 s (its blur).
 * - 3 postcodeRequired: the same with REQUIRED.
 * - 4-5 name: email and name, left: abandoned at the name at 12.5 s.
 * - 6 emailThenName: email refused with BAD_EMAIL, then the name, left: abandoned at the name.
 * - 7-9 bought: all three, submitted, thanks page: submitted.
 * - 10 cameBack: abandoned at the postcode with UK, then a second checkout load submitted: submitted, not abandoning.
 * - 11 blocked: all three, submitted at 14 s and refused at once with UK on the postcode (14.1 s), left: abandoned there.
 * - 12 signup: name and email of #signup-form on /signup.html, left: the other form, abandoned.
 * Checkout: started 12 (0-11), submitted 4 (7-10), abandoned 8, rate 2/3. Among the 8 abandoning
 * sessions: postcode touched by 5 (0-3, 11), the last field of those 5, refused for all 5, UK shown to 4
 * (0-2, 11); full name touched by 8, last of 3 (4-6); email touched by 8, last of none, refused for 1.
 */
const SCENARIO: Array<{ kind: string; loads: PageLoad[] }> = [
  ...Array.from({ length: 3 }, () => ({ kind: 'postcode', loads: [cart, checkout(10_000, [fillField(EMAIL), fillField(FULL_NAME), fillField(POSTCODE, UK)])] })),
  { kind: 'postcodeRequired', loads: [cart, checkout(10_000, [fillField(EMAIL), fillField(FULL_NAME), fillField(POSTCODE, REQUIRED)])] },
  ...Array.from({ length: 2 }, () => ({ kind: 'name', loads: [cart, checkout(10_000, [fillField(EMAIL), fillField(FULL_NAME)])] })),
  { kind: 'emailThenName', loads: [cart, checkout(10_000, [fillField(EMAIL, BAD_EMAIL), fillField(FULL_NAME)])] },
  ...Array.from({ length: 3 }, () => ({ kind: 'bought', loads: [cart, checkout(10_000, [...filled, submitForm()]), thanks(40_000)] })),
  {
    kind: 'cameBack',
    loads: [cart, checkout(10_000, [fillField(EMAIL), fillField(FULL_NAME), fillField(POSTCODE, UK)]), checkout(30_000, [...filled, submitForm()]), thanks(60_000)],
  },
  { kind: 'blocked', loads: [cart, checkout(10_000, [...filled, submitForm(CHECKOUT, { spec: POSTCODE, message: UK })])] },
  {
    kind: 'signup',
    loads: [{ path: '/signup.html', at: 0, actions: [fillField({ selector: '#name', label: 'Name', form: SIGNUP }), fillField({ selector: '#signup-email', label: 'Email', form: SIGNUP })] }],
  },
];
const sessionId = (index: number) => `session-${String(index).padStart(3, '0')}`;
const startOf = (index: number) => T0 + index * GAP_MS;
const END = startOf(SCENARIO.length);

let t: BackendTestApp;

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await t.app.request(path, { headers: adminHeaders() });
  return { status: res.status, body: (await res.json()) as T };
}

const range = (from = T0, to = END) => `from=${from}&to=${to}`;
const formParams = (form = CHECKOUT, url = CHECKOUT_URL) => `form=${encodeURIComponent(form)}&url=${encodeURIComponent(url)}`;

describeAppOnBothBackends('forms route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('forms API', () => {
    beforeEach(async () => {
      for (const [index, { loads }] of SCENARIO.entries()) await recordVisit(t, sessionId(index), startOf(index), loads);
      await analyse(t);
    });

    it('GET /api/forms ranks the forms by abandoning sessions, with started, submitted and the rate', async () => {
      const { status, body } = await getJson<FormList>(`/api/forms?site=${t.site.id}&${range()}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        from: T0,
        to: END,
        forms: [
          { form: CHECKOUT, url: CHECKOUT_URL, started: 12, submitted: 4, abandoned: 8, abandonmentRate: 8 / 12 },
          { form: SIGNUP, url: `${SHOP_ORIGIN}/signup.html`, started: 1, submitted: 0, abandoned: 1, abandonmentRate: 1 },
        ],
      });
      expect(t.errors).toEqual([]);
    });

    it('counts only the sessions started in the range; the last 30 days by default', async () => {
      const later = await getJson<FormList>(`/api/forms?site=${t.site.id}&${range(startOf(7))}`);
      // Sessions 7-12: 7-10 submitted, 11 blocked, 12 the sign-up.
      expect(later.body.forms[0]).toMatchObject({ form: CHECKOUT, started: 5, submitted: 4, abandoned: 1 });
      expect((await getJson<FormList>(`/api/forms?site=${t.site.id}`)).body.forms).toEqual([]);
    });

    it('GET /api/forms/drop-off gives each field: abandoning sessions that touched it, gave up there, and saw an error, with the message most shown', async () => {
      const { status, body } = await getJson<FormDropOff>(`/api/forms/drop-off?site=${t.site.id}&${formParams()}&${range()}`);
      expect(status).toBe(200);
      expect(body.summary).toEqual({ form: CHECKOUT, url: CHECKOUT_URL, started: 12, submitted: 4, abandoned: 8, abandonmentRate: 8 / 12 });
      expect(body.fields).toEqual([
        { field: '#postcode', label: 'Postcode', touched: 5, lastTouched: 5, errored: 5, topMessage: UK, topMessageSessions: 4 },
        { field: '#full-name', label: 'Full name', touched: 8, lastTouched: 3, errored: 0, topMessage: null, topMessageSessions: 0 },
        { field: '#email', label: 'Email', touched: 8, lastTouched: 0, errored: 1, topMessage: BAD_EMAIL, topMessageSessions: 1 },
      ]);
      const none = await getJson<FormDropOff>(`/api/forms/drop-off?site=${t.site.id}&${formParams('#nope')}&${range()}`);
      expect(none.body).toMatchObject({ summary: { started: 0, submitted: 0, abandoned: 0, abandonmentRate: 0 }, fields: [] });
    });

    it('GET /api/forms/sessions lists the abandoning sessions, latest first, each opening 3 s before its abandonment', async () => {
      const { status, body } = await getJson<FormAbandonmentList>(`/api/forms/sessions?site=${t.site.id}&${formParams()}&${range()}`);
      expect(status).toBe(200);
      expect(body.total).toBe(8);
      expect(body.nextCursor).toBeNull();
      expect(body.sessions.map((s) => s.sessionId)).toEqual([11, 6, 5, 4, 3, 2, 1, 0].map(sessionId));
      // Refused at 14.1 s: the replay opens at 11.1 s. The visit's last event (a mouse move) is at 15 s.
      expect(body.sessions[0]).toEqual({
        sessionId: sessionId(11),
        startedAt: startOf(11),
        durationMs: 15_000,
        device: 'desktop',
        ts: startOf(11) + 14_100,
        atMs: 11_100,
        dropOffField: '#postcode',
        dropOffLabel: 'Postcode',
        dropOffMessage: UK,
      });
      expect(body.sessions[1]).toMatchObject({ ts: startOf(6) + 12_500, atMs: 9_500, dropOffField: '#full-name', dropOffLabel: 'Full name', dropOffMessage: null });
      expect(body.sessions[4]).toMatchObject({ ts: startOf(3) + 13_500, atMs: 10_500, dropOffMessage: REQUIRED });
    });

    it('pages through the abandoning sessions with the cursor, and keeps those that gave up at one field', async () => {
      const all = (await getJson<FormAbandonmentList>(`/api/forms/sessions?site=${t.site.id}&${formParams()}&${range()}`)).body.sessions.map((s) => s.sessionId);
      const paged: string[] = [];
      let before = '';
      for (let page = 0; page < 10; page++) {
        const { body } = await getJson<FormAbandonmentList>(`/api/forms/sessions?site=${t.site.id}&${formParams()}&${range()}&limit=3${before}`);
        paged.push(...body.sessions.map((s) => s.sessionId));
        if (!body.nextCursor) break;
        before = `&before=${body.nextCursor}`;
      }
      expect(paged).toEqual(all);

      const postcode = await getJson<FormAbandonmentList>(`/api/forms/sessions?site=${t.site.id}&${formParams()}&${range()}&field=%23postcode`);
      expect(postcode.body.total).toBe(5);
      expect(postcode.body.sessions.map((s) => s.sessionId)).toEqual([11, 3, 2, 1, 0].map(sessionId));
    });

    it('refuses a missing form, a bad cursor, an unknown parameter and reversed bounds with a 400 naming it; an unknown site with a 404', async () => {
      const missing = await getJson<{ error: { code: string; message: string } }>(`/api/forms/drop-off?site=${t.site.id}&url=x`);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('"form"');
      const cursor = await getJson<{ error: { message: string } }>(`/api/forms/sessions?site=${t.site.id}&${formParams()}&before=nonsense`);
      expect(cursor.status).toBe(400);
      expect(cursor.body.error.message).toContain('"before"');
      const unknown = await getJson<{ error: { message: string } }>(`/api/forms?site=${t.site.id}&sort=rate`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('sort');
      expect((await getJson(`/api/forms?site=${t.site.id}&from=${T0 + 5}&to=${T0}`)).status).toBe(400);
      expect((await getJson(`/api/forms/sessions?site=${t.site.id}&${formParams()}&limit=0`)).status).toBe(400);
      expect((await getJson('/api/forms?site=nope')).status).toBe(404);
    });

    it('is admin only', async () => {
      expect((await t.app.request(`/api/forms?site=${t.site.id}`)).status).toBe(401);
      expect((await t.app.request(`/api/forms/drop-off?site=${t.site.id}&${formParams()}`, { headers: { authorization: `Bearer ${t.site.key}` } })).status).toBe(401);
    });
  });

  describe('form outcomes as a page is judged again', () => {
    it('counts a submit once its answer arrives in a later batch, and replaces what the page had', async () => {
      const start = T0;
      const meta = [
        { type: 4, timestamp: start, data: { href: CHECKOUT_URL, width: 1280, height: 800 } },
        { type: 2, timestamp: start + 1, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } },
      ] as eventWithTime[];
      const actions = [...filled, submitForm()].flatMap((emit, i) => emit(start + 1000 * (i + 1)));
      const send = async (seq: number, events: eventWithTime[], final?: true) => {
        const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch({ sessionId: 'session-late', seq, pageId: 'page-late', url: CHECKOUT_URL, events, ...(final ? { final } : {}) })));
        expect(res.status).toBe(200);
      };
      const checkoutRow = async () => (await getJson<FormList>(`/api/forms?site=${t.site.id}&${range(T0, T0 + 60_000)}`)).body.forms;

      await send(0, [...meta, ...actions]);
      await analyse(t);
      // The submit has no answer yet and the page is still open: nothing to count.
      expect(await checkoutRow()).toEqual([]);

      await send(1, [{ type: 3, timestamp: start + 6000, data: { source: 1, positions: [{ x: 1, y: 1, id: 1, timeOffset: 0 }] } } as eventWithTime], true);
      await analyse(t);
      expect(await checkoutRow()).toEqual([{ form: CHECKOUT, url: CHECKOUT_URL, started: 1, submitted: 1, abandoned: 0, abandonmentRate: 0 }]);
      expect(await t.rows(`SELECT session_id FROM form_outcomes WHERE session_id = 'session-late'`)).toHaveLength(1);
    });
  });
});
