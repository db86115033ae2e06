// GET /api/impact: friction opportunities ranked by the goal conversions they are associated with losing, with segments (JSON or CSV); GET /api/impact/sessions: an opportunity's replays.
import { Hono } from 'hono';
import { z } from 'zod';
import { FRICTION_TYPES, type Goal, type ImpactReport, type ImpactSessionList } from '../api-types';
import { MIN_SAMPLE_SESSIONS, SESSION_LIST_LIMIT } from '../conversions/conversion-thresholds';
import { impactCsv } from '../conversions/impact-csv';
import { affectedSessions, impactFigures } from '../conversions/impact-figures';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { goalBody } from '../repos/goals-repo';
import { parseQuery } from './parse-input';
import { siteIdParam, timeParam } from './query-fields';
import { reportRange } from './report-range';

const impactQuery = z.object({
  site: siteIdParam,
  goal: z.string({ error: 'a goal id is required' }).min(1).max(64),
  from: timeParam.optional(),
  to: timeParam.optional(),
  format: z.enum(['json', 'csv'], { error: 'expected json or csv' }).optional(),
});
const sessionsQuery = impactQuery.omit({ format: true }).extend({
  type: z.enum(FRICTION_TYPES, { error: `expected one of ${FRICTION_TYPES.join(', ')}` }),
  page: z.string().min(1).max(2000),
  target: z.string().max(2000).optional(),
  field: z.string().max(2000).optional(),
});

export function createImpactRoute({ sites, conversions }: AppRepos, now: () => number = Date.now): Hono {
  const { goals, goalJobs, queries, aggregates } = conversions;
  const app = new Hono();

  async function rangeOf(query: z.output<typeof impactQuery>) {
    const site = await sites.findById(query.site);
    if (!site) throw new ApiError(404, 'not_found', `No site ${query.site}`);
    const goal = await goals.get(query.goal);
    if (!goal || goal.siteId !== site.id) throw new ApiError(404, 'not_found', `No goal ${query.goal} on site ${query.site}`);
    const { from, to } = reportRange(query, now());
    return { site, goal, from, to, range: { siteId: site.id, from, to } };
  }

  // The database counts the range's sessions, visits and flags: nothing per session is read here.
  app.get('/impact', async (c) => {
    const query = parseQuery(impactQuery, c.req.query());
    const { site, goal, from, to, range } = await rangeOf(query);
    const { overall, opportunities, segments } = await impactFigures(aggregates, range, goal.id, site.urlPatterns);
    const report: ImpactReport = {
      siteId: site.id,
      goal: { ...goalBody(goal), job: await goalJobs.status(goal.id) } as Goal,
      from,
      to,
      overall,
      minSample: MIN_SAMPLE_SESSIONS,
      opportunities,
      segments,
    };
    if (query.format !== 'csv') return c.json(report);
    return c.body(impactCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="impact-${goal.id}-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv"`,
    });
  });

  app.get('/impact/sessions', async (c) => {
    const query = parseQuery(sessionsQuery, c.req.query());
    const { site, goal, range } = await rangeOf(query);
    const key = { type: query.type, page: query.page, target: query.target ?? null, field: query.field ?? null };
    const sessions = await affectedSessions(queries, aggregates, range, goal.id, site.urlPatterns, key);
    return c.json({ total: sessions.length, sessions: sessions.slice(0, SESSION_LIST_LIMIT) } satisfies ImpactSessionList);
  });
  return app;
}
