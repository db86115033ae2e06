import { beforeAll, describe, expect, it } from 'vitest';
import type { Goal, ImpactReport, ImpactSessionList, SessionFriction } from '../api-types';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { REPLAY_LEAD_MS } from '../conversions/conversion-thresholds';
import { SESSION_GAP_MS, T0, seedCheckoutScenario, type SeededSession } from '../conversions/testing/checkout-scenario';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, SHOP_ORIGIN } from '../testing/test-app';

let t: BackendTestApp;
let sessions: SeededSession[];
let thanksGoal: Goal;
const RANGE = `from=${T0}&to=${T0 + 1000 * SESSION_GAP_MS}`;
const CHECKOUT = `${SHOP_ORIGIN}/checkout.html`;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await t.app.request(path, { ...init, headers: { ...adminHeaders(), 'content-type': 'application/json' } });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}
const createGoal = (body: object) => api<Goal>(`/api/sites/${t.site.id}/goals`, { method: 'POST', body: JSON.stringify(body) });
const impact = (goal: Goal, range = RANGE) => api<ImpactReport>(`/api/impact?site=${t.site.id}&goal=${goal.id}&${range}`);

describeAppOnBothBackends(
  'impact API',
  (app) => {
    beforeAll(async () => {
      t = app();
      // Created before the visits: the analysis pass computes its completions as it judges each page.
      thanksGoal = await createGoal({ name: 'Order placed', kind: 'page', pattern: '/thanks*' });
      sessions = await seedCheckoutScenario(t);
    }, 60_000);

    describe('GET /api/impact on recorded checkout visits', () => {
      it('gives the rates, the difference with its Newcombe interval and the conversions lost, worked by hand', async () => {
        const report = await impact(thanksGoal);
        expect(report.overall).toEqual({ sessions: 70, conversions: 26, rate: 26 / 70 });
        expect(report.minSample).toBe(30);
        expect(report.opportunities).toHaveLength(1);
        const [postcode] = report.opportunities;
        expect(postcode).toMatchObject({
          type: 'form_abandonment',
          page: CHECKOUT,
          target: '#checkout-form',
          field: '#postcode',
          label: 'postcode',
          status: 'estimate',
          // 24 abandoned + 6 abandoned then bought; comparable: the 40 others who reached the checkout, 20 of whom bought.
          affected: { sessions: 30, conversions: 6, rate: 0.2 },
          comparable: { sessions: 40, conversions: 20, rate: 0.5 },
        });
        // d = 0.5 - 0.2; Newcombe (method 10) from Wilson 20/40 and 6/30, worked in newcombe-interval.test.ts.
        expect(postcode!.difference!.estimate).toBeCloseTo(0.3, 12);
        expect(postcode!.difference!.low).toBeCloseTo(0.072285, 5);
        expect(postcode!.difference!.high).toBeCloseTo(0.481438, 5);
        // Lost = 30 affected × 0.3 = 9, interval 30 × [0.072285, 0.481438].
        expect(postcode!.lostConversions!.estimate).toBeCloseTo(9, 10);
        expect(postcode!.lostConversions!.low).toBeCloseTo(2.16855, 4);
        expect(postcode!.lostConversions!.high).toBeCloseTo(14.44314, 4);
      });

      it('says "not enough data" once a side falls under 30 sessions', async () => {
        // Leaving out the first session (an abandoner) leaves 29 affected.
        const report = await impact(thanksGoal, `from=${T0 + 1}&to=${T0 + 1000 * SESSION_GAP_MS}`);
        expect(report.opportunities[0]).toMatchObject({ status: 'not_enough_data', affected: { sessions: 29, conversions: 6 }, comparable: { sessions: 40 }, difference: null, lostConversions: null });
      });

      it('computes the same conversions for event and form goals, retroactively, with the job’s progress', async () => {
        const purchase = await createGoal({ name: 'Purchase', kind: 'event', event: 'purchase' });
        const checkout = await createGoal({ name: 'Checkout sent', kind: 'form', pattern: '/checkout*', selector: '#checkout-form' });
        expect(purchase.job).toMatchObject({ state: 'pending', done: 0, total: 70 });
        // Nothing is computed for stored sessions until the job runs.
        expect((await impact(purchase)).overall.conversions).toBe(0);
        const runner = createGoalJobRunner(t.analysisDatabase().transactions, t.analysisDatabase().repos.conversions, { sliceSessions: 25 });
        let slices = 0;
        while (await runner.runSlice()) slices++;
        // 70 sessions in slices of 25: 3 slices for each goal, the first goal's job included (created
        // before any session was stored, it had not run yet; it recomputes what the pass computed).
        expect(slices).toBe(9);
        expect((await impact(thanksGoal)).overall.conversions).toBe(26);
        for (const goal of [purchase, checkout]) {
          const report = await impact(goal);
          expect(report.goal.job).toMatchObject({ state: 'done', done: 70, total: 70 });
          expect(report.overall.conversions).toBe(26);
          expect(report.opportunities[0]).toMatchObject({ affected: { sessions: 30, conversions: 6 }, comparable: { sessions: 40, conversions: 20 } });
        }
      });

      it('marks the segments that convert much worse than the site', async () => {
        const { segments } = await impact(thanksGoal);
        expect(segments.device.map(({ value, sessions, conversions, worse }) => ({ value, sessions, conversions, worse }))).toEqual([
          // 0.12 is under 0.75 × 26/70 and Wilson's upper bound for 6/50 (0.238) is under 26/70.
          { value: 'mobile', sessions: 50, conversions: 6, worse: true },
          { value: 'desktop', sessions: 20, conversions: 20, worse: false },
        ]);
        expect(segments.referrer.map((row) => [row.value, row.sessions, row.conversions, row.worse])).toEqual([
          ['(direct)', 50, 6, true],
          ['google.com', 20, 20, false],
        ]);
        expect(segments.utmSource.map((row) => [row.value, row.sessions])).toEqual([['(none)', 50], ['google', 20]]);
        expect(segments.browser.reduce((sum, row) => sum + row.sessions, 0)).toBe(70);
      });

      it('lists the affected sessions, each opening 3 s before its friction moment', async () => {
        const list = await api<ImpactSessionList>(
          `/api/impact/sessions?site=${t.site.id}&goal=${thanksGoal.id}&${RANGE}&type=form_abandonment&page=${encodeURIComponent(CHECKOUT)}&target=${encodeURIComponent('#checkout-form')}&field=${encodeURIComponent('#postcode')}`,
        );
        expect(list.total).toBe(30);
        expect(list.sessions.filter((session) => session.converted)).toHaveLength(6);
        const latest = list.sessions[0]!;
        expect(latest.sessionId).toBe(sessions.filter((s) => s.kind.startsWith('abandoned')).at(-1)!.id);
        const { friction } = await api<SessionFriction>(`/api/sessions/${latest.sessionId}/friction`);
        expect(latest.ts).toBe(friction[0]!.ts);
        expect(latest.atMs).toBe(friction[0]!.ts - REPLAY_LEAD_MS - latest.startedAt);
      });

      it('exports the ranking as CSV', async () => {
        const res = await t.app.request(`/api/impact?site=${t.site.id}&goal=${thanksGoal.id}&${RANGE}&format=csv`, { headers: adminHeaders() });
        expect(res.headers.get('content-type')).toContain('text/csv');
        const [header, row, end] = (await res.text()).split('\r\n');
        expect(header).toBe(
          'rank,friction_type,page,target,field,label,status,affected_sessions,affected_conversions,affected_rate,comparable_sessions,comparable_conversions,comparable_rate,difference,difference_low_95,difference_high_95,lost_conversions,lost_low_95,lost_high_95',
        );
        expect(row).toBe(`1,form_abandonment,${CHECKOUT},#checkout-form,#postcode,postcode,estimate,30,6,0.2,40,20,0.5,0.3,0.072285,0.481438,9,2.168551,14.443134`);
        expect(end).toBe('');
      });

      it('refuses a missing goal, a goal of another site, and callers without the admin token', async () => {
        const missing = await t.app.request(`/api/impact?site=${t.site.id}`, { headers: adminHeaders() });
        expect(missing.status).toBe(400);
        expect((await missing.json()).error.message).toMatch(/goal/);
        const other = await t.repos.sites.create({ name: 'Other', origins: ['https://other.example'] }, Date.now());
        expect((await t.app.request(`/api/impact?site=${other.id}&goal=${thanksGoal.id}`, { headers: adminHeaders() })).status).toBe(404);
        expect((await t.app.request(`/api/impact?site=${t.site.id}&goal=${thanksGoal.id}`)).status).toBe(401);
        expect(t.errors).toEqual([]);
      });
    });
  },
  undefined,
  'file',
);
