// Funnels of a site: GET/POST /api/sites/:id/funnels, GET/PUT/DELETE /api/funnels/:id, the report and the sessions behind each figure.
import { Hono } from 'hono';
import { z } from 'zod';
import { FRICTION_TYPES, type Funnel, type FunnelList, type FunnelReport, type FunnelSessionList } from '../api-types';
import { SESSION_LIST_LIMIT } from '../conversions/conversion-thresholds';
import { funnelFigures } from '../conversions/funnel-figures';
import { funnelSessions, type FunnelInput } from '../conversions/funnel-report';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { funnelInput } from './conversion-input';
import { parseBody, parseQuery, readJson } from './parse-input';
import { timeParam } from './query-fields';
import { reportRange } from './report-range';

const reportQuery = z.object({ from: timeParam.optional(), to: timeParam.optional() });
const sessionsQuery = reportQuery.extend({
  step: z.string().regex(/^\d{1,2}$/, 'expected a step index from 0').transform(Number),
  group: z.enum(['reached', 'continued', 'dropped'], { error: 'expected reached, continued or dropped' }),
  friction: z.enum(FRICTION_TYPES, { error: `expected one of ${FRICTION_TYPES.join(', ')}` }).optional(),
});

export function createFunnelsRoute({ sites, conversions }: AppRepos, now: () => number = Date.now): Hono {
  const { funnels, queries, aggregates } = conversions;
  const app = new Hono();
  const siteOf = async (id: string) => {
    if (!(await sites.findById(id))) throw new ApiError(404, 'not_found', `No site ${id}`);
    return id;
  };
  const funnelOf = async (id: string): Promise<Funnel> => (await funnels.get(id)) ?? notFound(id);
  async function inputOf(funnel: Funnel, query: { from?: number; to?: number }) {
    const { from, to } = reportRange(query, now());
    const range = { siteId: funnel.siteId, from, to };
    const [sessions, visits, tracked, friction] = await Promise.all([queries.sessions(range, null), queries.visits(range), queries.tracked(range), queries.friction(range)]);
    const input: FunnelInput = { steps: funnel.steps, sessions, visits, tracked, friction };
    return { from, to, input };
  }

  app.get('/sites/:id/funnels', async (c) => c.json({ funnels: await funnels.listBySite(await siteOf(c.req.param('id'))) } satisfies FunnelList));
  app.post('/sites/:id/funnels', async (c) => {
    const siteId = await siteOf(c.req.param('id'));
    const input = parseBody(funnelInput, await readJson(c.req));
    return c.json((await funnels.create(siteId, input, now())) satisfies Funnel, 201);
  });
  app.get('/funnels/:id', async (c) => c.json(await funnelOf(c.req.param('id'))));
  app.put('/funnels/:id', async (c) => {
    const input = parseBody(funnelInput, await readJson(c.req));
    const id = c.req.param('id');
    return c.json((await funnels.update(id, input, now())) ?? notFound(id));
  });
  app.delete('/funnels/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await funnels.delete(id))) notFound(id);
    return c.json({ id, deleted: true });
  });

  // Computed when asked, from the visits and tracked events the analysis pass keeps: a funnel edit
  // covers what is already recorded. The database follows the paths and counts them.
  app.get('/funnels/:id/report', async (c) => {
    const funnel = await funnelOf(c.req.param('id'));
    const { from, to } = reportRange(parseQuery(reportQuery, c.req.query()), now());
    const range = { siteId: funnel.siteId, from, to };
    return c.json({ funnel, from, to, sessions: await aggregates.sessionCount(range), steps: await funnelFigures(aggregates, range, funnel.steps) } satisfies FunnelReport);
  });
  app.get('/funnels/:id/sessions', async (c) => {
    const funnel = await funnelOf(c.req.param('id'));
    const query = parseQuery(sessionsQuery, c.req.query());
    if (query.step >= funnel.steps.length) throw new ApiError(400, 'invalid_request', `Invalid query parameter "step": the funnel has steps 0 to ${funnel.steps.length - 1}`);
    const { input } = await inputOf(funnel, query);
    const sessions = funnelSessions(input, query.step, query.group, query.friction);
    return c.json({ total: sessions.length, sessions: sessions.slice(0, SESSION_LIST_LIMIT) } satisfies FunnelSessionList);
  });
  return app;
}

function notFound(id: string): never {
  throw new ApiError(404, 'not_found', `No funnel ${id}`);
}
