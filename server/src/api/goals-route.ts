// Goals of a site: GET/POST /api/sites/:id/goals, GET/PUT/DELETE /api/goals/:id. Creating a goal or changing its definition starts its recomputation job.
import type { Database } from 'better-sqlite3';
import { Hono } from 'hono';
import type { Goal, GoalList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { goalBody, type StoredGoal } from '../repos/goals-repo';
import { goalInput } from './conversion-input';
import { parseBody, readJson } from './parse-input';

export function createGoalsRoute(db: Database, { sites, conversions }: Repos, now: () => number = Date.now): Hono {
  const { goals, goalJobs, completions } = conversions;
  const app = new Hono();
  const toGoal = (goal: StoredGoal): Goal => ({ ...goalBody(goal), job: goalJobs.status(goal.id) }) as Goal;
  const siteOf = (id: string) => {
    if (!sites.findById(id)) throw new ApiError(404, 'not_found', `No site ${id}`);
    return id;
  };
  const goalOf = (id: string) => goals.get(id) ?? notFound(id);

  // The job counts the sessions stored now; sessions arriving later are the analysis pass's.
  const create = db.transaction((siteId: string, input: ReturnType<typeof goalInput.parse>, at: number) => {
    const goal = goals.create(siteId, input, at);
    goalJobs.start(goal.id, goal.version, completions.sessionCount(siteId), at);
    return goal;
  });
  // Completions of the old definition go at once: a report shows the new one, partial while its job runs.
  const update = db.transaction((id: string, input: ReturnType<typeof goalInput.parse>, at: number) => {
    const result = goals.update(id, input, at) ?? notFound(id);
    if (result.definitionChanged) {
      completions.clearGoal(id);
      goalJobs.start(id, result.goal.version, completions.sessionCount(result.goal.siteId), at);
    }
    return result.goal;
  });

  app.get('/sites/:id/goals', (c) => c.json({ goals: goals.listBySite(siteOf(c.req.param('id'))).map(toGoal) } satisfies GoalList));
  app.post('/sites/:id/goals', async (c) => {
    const siteId = siteOf(c.req.param('id'));
    const input = parseBody(goalInput, await readJson(c.req));
    return c.json(toGoal(create(siteId, input, now())), 201);
  });
  app.get('/goals/:id', (c) => c.json(toGoal(goalOf(c.req.param('id')))));
  app.put('/goals/:id', async (c) => {
    const input = parseBody(goalInput, await readJson(c.req));
    return c.json(toGoal(update(c.req.param('id'), input, now())));
  });
  app.delete('/goals/:id', (c) => {
    const id = c.req.param('id');
    if (!goals.delete(id)) notFound(id);
    return c.json({ id, deleted: true });
  });
  return app;
}

function notFound(id: string): never {
  throw new ApiError(404, 'not_found', `No goal ${id}`);
}
