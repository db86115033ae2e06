// Goals of a site: GET/POST /api/sites/:id/goals, GET/PUT/DELETE /api/goals/:id. Creating a goal or changing its definition starts its recomputation job.
import { Hono } from 'hono';
import type { Goal, GoalList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { goalBody, type StoredGoal } from '../repos/goals-repo';
import { goalInput } from './conversion-input';
import { parseBody, readJson } from './parse-input';

export function createGoalsRoute({ sites, conversions }: AppRepos, now: () => number = Date.now): Hono {
  const { goals, goalJobs, changes } = conversions;
  const app = new Hono();
  const toGoal = async (goal: StoredGoal): Promise<Goal> => ({ ...goalBody(goal), job: await goalJobs.status(goal.id) }) as Goal;
  const siteOf = async (id: string) => {
    if (!(await sites.findById(id))) throw new ApiError(404, 'not_found', `No site ${id}`);
    return id;
  };
  const goalOf = async (id: string) => (await goals.get(id)) ?? notFound(id);

  app.get('/sites/:id/goals', async (c) => {
    const list = await goals.listBySite(await siteOf(c.req.param('id')));
    return c.json({ goals: await Promise.all(list.map(toGoal)) } satisfies GoalList);
  });
  // The job counts the sessions stored now; sessions arriving later are the analysis pass's.
  app.post('/sites/:id/goals', async (c) => {
    const siteId = await siteOf(c.req.param('id'));
    const input = parseBody(goalInput, await readJson(c.req));
    return c.json(await toGoal(await changes.create(siteId, input, now())), 201);
  });
  app.get('/goals/:id', async (c) => c.json(await toGoal(await goalOf(c.req.param('id')))));
  // Completions of the old definition go at once: a report shows the new one, partial while its job runs.
  app.put('/goals/:id', async (c) => {
    const input = parseBody(goalInput, await readJson(c.req));
    const id = c.req.param('id');
    return c.json(await toGoal((await changes.update(id, input, now())) ?? notFound(id)));
  });
  app.delete('/goals/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await goals.delete(id))) notFound(id);
    return c.json({ id, deleted: true });
  });
  return app;
}

function notFound(id: string): never {
  throw new ApiError(404, 'not_found', `No goal ${id}`);
}
