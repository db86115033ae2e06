import { beforeAll, describe, expect, it } from 'vitest';
import type { Funnel, FunnelList, FunnelReport, FunnelSessionList, SessionFriction } from '../api-types';
import { REPLAY_LEAD_MS } from '../conversions/conversion-thresholds';
import { SESSION_GAP_MS, T0, seedCheckoutScenario } from '../conversions/testing/checkout-scenario';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders } from '../testing/test-app';

let t: BackendTestApp;
let funnel: Funnel;
const RANGE = `from=${T0}&to=${T0 + 1000 * SESSION_GAP_MS}`;
const STEPS = [
  { kind: 'page', pattern: '/cart*' },
  { kind: 'page', pattern: '/checkout*' },
  { kind: 'event', event: 'purchase' },
];

function send(method: string, path: string, body?: unknown) {
  return t.app.request(path, { method, headers: { ...adminHeaders(), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}
async function get<T>(path: string): Promise<T> {
  const res = await send('GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

describeAppOnBothBackends(
  'funnels API',
  (app) => {
    beforeAll(async () => {
      t = app();
      await seedCheckoutScenario(t);
      const res = await send('POST', `/api/sites/${t.site.id}/funnels`, { name: 'Checkout', steps: STEPS });
      expect(res.status).toBe(201);
      funnel = (await res.json()) as Funnel;
    }, 60_000);

    describe('funnels API', () => {
      it('lists, edits and deletes funnels, and refuses bad definitions naming the problem', async () => {
        expect((await get<FunnelList>(`/api/sites/${t.site.id}/funnels`)).funnels.map((f) => f.name)).toEqual(['Checkout']);
        const other = (await (await send('POST', `/api/sites/${t.site.id}/funnels`, { name: 'Two', steps: STEPS.slice(0, 2) })).json()) as Funnel;
        const edited = await send('PUT', `/api/funnels/${other.id}`, { name: 'Renamed', steps: STEPS.slice(1) });
        expect(await edited.json()).toMatchObject({ name: 'Renamed', steps: STEPS.slice(1) });
        expect(await (await send('DELETE', `/api/funnels/${other.id}`)).json()).toEqual({ id: other.id, deleted: true });
        expect((await send('GET', `/api/funnels/${other.id}`)).status).toBe(404);

        const cases: Array<[unknown, RegExp]> = [
          [{ name: 'f', steps: STEPS.slice(0, 1) }, /"steps": a funnel needs at least 2 steps/],
          [{ name: 'f', steps: [STEPS[0], { kind: 'click' }] }, /"steps.1.kind": unknown step kind "click"; valid kinds are page, event/],
          [{ name: 'f', steps: [STEPS[0], { kind: 'page', pattern: '' }] }, /"steps.1.pattern": the URL pattern must not be empty/],
          [{ name: 'f' }, /"steps": steps is required/],
        ];
        for (const [body, message] of cases) {
          const res = await send('POST', `/api/sites/${t.site.id}/funnels`, body);
          expect(res.status).toBe(400);
          expect((await res.json()).error.message).toMatch(message);
        }
      });

      it('counts each step, the share that went on, the median time to the next step, and the drop-offs’ friction lift, worked by hand', async () => {
        const report = await get<FunnelReport>(`/api/funnels/${funnel.id}/report?${RANGE}`);
        expect(report.sessions).toBe(70);
        expect(report.steps.map(({ reached, continued, droppedOff, medianMsToNext }) => ({ reached, continued, droppedOff, medianMsToNext }))).toEqual([
          // Everyone reaches the checkout 10 s after the cart.
          { reached: 70, continued: 70, droppedOff: 0, medianMsToNext: 10_000 },
          // 26 buy: "purchase" is tracked 1 s after the thanks page loads, and the checkout's page view
          // comes 2 ms after its load; thanks loads 30 s after the checkout for 20 of them and 90 s for 6,
          // so the median (13th and 14th of 26) is 30 s + 1 s - 2 ms.
          { reached: 70, continued: 26, droppedOff: 44, medianMsToNext: 30_998 },
          { reached: 26, continued: null, droppedOff: 0, medianMsToNext: null },
        ]);
        expect(report.steps[1]!.continuedRate).toBeCloseTo(26 / 70, 12);
        expect(report.steps[0]!.friction).toEqual([]);
        // Drop-offs at the checkout: 24 of 44 abandoned the form there; of the 26 who went on, 6 had.
        // Lift = (24/44) / (6/26) = 624/264 = 2.3636…
        const [abandonment] = report.steps[1]!.friction;
        expect(abandonment).toMatchObject({ type: 'form_abandonment', dropped: 24, continued: 6 });
        expect(abandonment!.droppedRate).toBeCloseTo(24 / 44, 12);
        expect(abandonment!.continuedRate).toBeCloseTo(6 / 26, 12);
        expect(abandonment!.lift).toBeCloseTo(624 / 264, 12);
      });

      it('opens the sessions behind each figure, each at its friction moment', async () => {
        const base = `/api/funnels/${funnel.id}/sessions?${RANGE}&step=1`;
        expect((await get<FunnelSessionList>(`${base}&group=reached`)).total).toBe(70);
        expect((await get<FunnelSessionList>(`${base}&group=continued`)).total).toBe(26);
        const dropped = await get<FunnelSessionList>(`${base}&group=dropped`);
        expect(dropped.total).toBe(44);
        expect(dropped.sessions.every((session) => !session.converted)).toBe(true);
        const withFriction = await get<FunnelSessionList>(`${base}&group=dropped&friction=form_abandonment`);
        expect(withFriction.total).toBe(24);
        const first = withFriction.sessions[0]!;
        const { friction } = await get<SessionFriction>(`/api/sessions/${first.sessionId}/friction`);
        expect(first.ts).toBe(friction[0]!.ts);
        expect(first.atMs).toBe(friction[0]!.ts - REPLAY_LEAD_MS - first.startedAt);
        const bad = await send('GET', `/api/funnels/${funnel.id}/sessions?step=3&group=dropped`);
        expect(bad.status).toBe(400);
        expect((await bad.json()).error.message).toMatch(/steps 0 to 2/);
        expect(t.errors).toEqual([]);
      });
    });
  },
  undefined,
  'file',
);
