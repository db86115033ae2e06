import { beforeEach, describe, expect, it } from 'vitest';
import type { Goal, GoalList } from '../api-types';
import { createGoalJobRunner } from '../conversions/goal-job-runner';
import { recordVisit } from '../conversions/testing/recorded-visits';
import { analyse } from '../conversions/testing/checkout-scenario';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders } from '../testing/test-app';

let t: BackendTestApp;

const T = 1_700_000_000_000;
function send(method: string, path: string, body?: unknown, headers = adminHeaders()) {
  return t.app.request(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}
const goalsPath = () => `/api/sites/${t.site.id}/goals`;

describeAppOnBothBackends('goals route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('goals API', () => {
    it('creates, lists, edits and deletes goals of each kind', async () => {
      const created = await send('POST', goalsPath(), { name: 'Order placed', kind: 'page', pattern: ' /checkout/thanks* ' });
      expect(created.status).toBe(201);
      const goal = (await created.json()) as Goal;
      expect(goal).toMatchObject({ siteId: t.site.id, name: 'Order placed', kind: 'page', pattern: '/checkout/thanks*', job: { state: 'pending', done: 0, total: 0 } });
      await send('POST', goalsPath(), { name: 'Signed up', kind: 'event', event: 'signup' });
      await send('POST', goalsPath(), { name: 'Checkout sent', kind: 'form', pattern: '/checkout*', selector: '#checkout-form' });
      const list = (await (await send('GET', goalsPath())).json()) as GoalList;
      expect(list.goals.map((g) => [g.name, g.kind])).toEqual([['Order placed', 'page'], ['Signed up', 'event'], ['Checkout sent', 'form']]);

      const edited = await send('PUT', `/api/goals/${goal.id}`, { name: 'Order', kind: 'event', event: 'purchase' });
      expect(edited.status).toBe(200);
      expect(await edited.json()).toMatchObject({ id: goal.id, name: 'Order', kind: 'event', event: 'purchase' });
      expect(await (await send('GET', `/api/goals/${goal.id}`)).json()).not.toHaveProperty('pattern');

      expect(await (await send('DELETE', `/api/goals/${goal.id}`)).json()).toEqual({ id: goal.id, deleted: true });
      expect((await send('GET', `/api/goals/${goal.id}`)).status).toBe(404);
      expect((await send('DELETE', `/api/goals/${goal.id}`)).status).toBe(404);
      expect(t.errors).toEqual([]);
    });

    it('refuses bad definitions with a 400 that names the problem', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ name: 'g', kind: 'page', pattern: '' }, /"pattern": the URL pattern must not be empty/],
        [{ name: 'g', kind: 'page', pattern: 'thanks.html' }, /"pattern": the URL pattern must be a path starting with "\/"/],
        [{ name: 'g', kind: 'click', pattern: '/a' }, /"kind": unknown goal kind "click"; valid kinds are page, event, form/],
        [{ name: 'g', kind: 'event', event: '  ' }, /"event": the event name must not be empty/],
        [{ name: 'g', kind: 'form', pattern: '/checkout' }, /"selector": the form selector is required/],
        [{ name: '', kind: 'event', event: 'x' }, /"name": the name must not be empty/],
      ];
      for (const [body, message] of cases) {
        const res = await send('POST', goalsPath(), body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((await res.json()).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(message) });
      }
      expect((await send('POST', '/api/sites/nope/goals', { name: 'g', kind: 'event', event: 'x' })).status).toBe(404);
      expect((await send('GET', goalsPath(), undefined, {})).status).toBe(401);
    });

    it('recomputes stored sessions when the definition changes, not when only the name does', async () => {
      await recordVisit(t, 'session-a1', T, [{ path: '/thanks.html', at: 0 }]);
      await recordVisit(t, 'session-b2', T + 60_000, [{ path: '/signup.html', at: 0 }]);
      await analyse(t);
      const { transactions, repos } = t.analysisDatabase();
      const runner = createGoalJobRunner(transactions, repos.conversions);
      const goal = (await (await send('POST', goalsPath(), { name: 'Thanks', kind: 'page', pattern: '/thanks*' })).json()) as Goal;
      expect(goal.job).toMatchObject({ state: 'pending', total: 2 });
      while (await runner.runSlice());
      expect(await t.repos.conversions.completions.countForGoal(goal.id)).toBe(1);

      const renamed = (await (await send('PUT', `/api/goals/${goal.id}`, { name: 'Thank you', kind: 'page', pattern: '/thanks*' })).json()) as Goal;
      expect(renamed.job).toMatchObject({ state: 'done', done: 2 });
      expect(await t.repos.conversions.completions.countForGoal(goal.id)).toBe(1);

      const changed = (await (await send('PUT', `/api/goals/${goal.id}`, { name: 'Signed up', kind: 'page', pattern: '/signup*' })).json()) as Goal;
      expect(changed.job).toMatchObject({ state: 'pending', done: 0, total: 2 });
      // The old definition's completions are gone at once; the new ones come with the job.
      expect(await t.repos.conversions.completions.countForGoal(goal.id)).toBe(0);
      expect(await runner.runSlice()).toBe(true);
      expect(await t.repos.conversions.goalJobs.status(goal.id)).toMatchObject({ state: 'done', done: 2, total: 2 });
      expect(await t.repos.conversions.completions.countForGoal(goal.id)).toBe(1);
      expect(await runner.runSlice()).toBe(false);
    });

    it('leaves a slice of a job whose goal changed meanwhile unstored', async () => {
      await recordVisit(t, 'session-a1', T, [{ path: '/thanks.html', at: 0 }]);
      await analyse(t);
      const goal = (await (await send('POST', goalsPath(), { name: 'Thanks', kind: 'page', pattern: '/thanks*' })).json()) as Goal;
      const { transactions, repos } = t.analysisDatabase();
      const { goals, goalJobs } = repos.conversions;
      // Another worker's view: the job is claimed, then the definition changes before its slice is stored.
      const runner = createGoalJobRunner(transactions, { ...repos.conversions, goals: { ...goals, get: (id) => goals.get(id) } });
      const claimed = (await goalJobs.claim(Date.now(), 60_000))!;
      await send('PUT', `/api/goals/${goal.id}`, { name: 'Thanks', kind: 'page', pattern: '/nowhere' });
      expect(await goalJobs.advance(goal.id, claimed.goalVersion, 'session-a1', 1)).toBe(false);
      while (await runner.runSlice());
      expect(await t.repos.conversions.completions.countForGoal(goal.id)).toBe(0);
      expect(await goalJobs.status(goal.id)).toMatchObject({ state: 'done', done: 1 });
    });
  });
});
