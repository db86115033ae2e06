// Funnels of a site: GET/POST /api/sites/:id/funnels, GET/PUT/DELETE /api/funnels/:id, the report and the sessions behind each figure.
import { Hono } from 'hono';
import { z } from 'zod';
import { FRICTION_TYPES, type Funnel, type FunnelList, type FunnelReport, type FunnelSessionList } from '../api-types';
import { SESSION_LIST_LIMIT } from '../conversions/conversion-thresholds';
import { funnelFigures } from '../conversions/funnel-figures';
import { funnelSessions, type FunnelInput } from '../conversions/funnel-report';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
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

export function createFunnelsRoute({ sites, conversions }: Repos, now: () => number = Date.now): Hono {
  const { funnels, queries, aggregates } = conversions;
  const app = new Hono();
  const siteOf = (id: string) => {
    if (!sites.findById(id)) throw new ApiError(404, 'not_found', `No site ${id}`);
    return id;
  };
  const funnelOf = (id: string): Funnel => funnels.get(id) ?? notFound(id);
  function inputOf(funnel: Funnel, query: { from?: number; to?: number }) {
    const { from, to } = reportRange(query, now());
    const range = { siteId: funnel.siteId, from, to };
    const input: FunnelInput = { steps: funnel.steps, sessions: queries.sessions(range, null), visits: queries.visits(range), tracked: queries.tracked(range), friction: queries.friction(range) };
    return { from, to, input };
  }

  app.get('/sites/:id/funnels', (c) => c.json({ funnels: funnels.listBySite(siteOf(c.req.param('id'))) } satisfies FunnelList));
  app.post('/sites/:id/funnels', async (c) => {
    const siteId = siteOf(c.req.param('id'));
    const input = parseBody(funnelInput, await readJson(c.req));
    return c.json(funnels.create(siteId, input, now()) satisfies Funnel, 201);
  });
  app.get('/funnels/:id', (c) => c.json(funnelOf(c.req.param('id'))));
  app.put('/funnels/:id', async (c) => {
    const input = parseBody(funnelInput, await readJson(c.req));
    const id = c.req.param('id');
    return c.json(funnels.update(id, input, now()) ?? notFound(id));
  });
  app.delete('/funnels/:id', (c) => {
    const id = c.req.param('id');
    if (!funnels.delete(id)) notFound(id);
    return c.json({ id, deleted: true });
  });

  // Computed when asked, from the visits and tracked events the analysis pass keeps: a funnel edit
  // covers what is already recorded. The database follows the paths and counts them.
  app.get('/funnels/:id/report', (c) => {
    const funnel = funnelOf(c.req.param('id'));
    const { from, to } = reportRange(parseQuery(reportQuery, c.req.query()), now());
    const range = { siteId: funnel.siteId, from, to };
    return c.json({ funnel, from, to, sessions: aggregates.sessionCount(range), steps: funnelFigures(aggregates, range, funnel.steps) } satisfies FunnelReport);
  });
  app.get('/funnels/:id/sessions', (c) => {
    const funnel = funnelOf(c.req.param('id'));
    const query = parseQuery(sessionsQuery, c.req.query());
    if (query.step >= funnel.steps.length) throw new ApiError(400, 'invalid_request', `Invalid query parameter "step": the funnel has steps 0 to ${funnel.steps.length - 1}`);
    const { input } = inputOf(funnel, query);
    const sessions = funnelSessions(input, query.step, query.group, query.friction);
    return c.json({ total: sessions.length, sessions: sessions.slice(0, SESSION_LIST_LIMIT) } satisfies FunnelSessionList);
  });
  return app;
}

function notFound(id: string): never {
  throw new ApiError(404, 'not_found', `No funnel ${id}`);
}
