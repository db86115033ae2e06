// GET /api/friction/summary: a site's friction per type, per page and per element, for the viewer's overview.
import { Hono } from 'hono';
import { z } from 'zod';
import { FRICTION_TYPES, type FrictionSummary } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { zeroCounts } from '../repos/friction-repo';
import { parseQuery } from './parse-input';
import { siteIdParam, timeParam } from './query-fields';

/** Without bounds the summary covers the last 30 days. */
export const DEFAULT_SUMMARY_DAYS = 30;
const DAY_MS = 86_400_000;
/** Rows per list: an overview shows the top of each, not all of them. */
export const SUMMARY_LIST_LIMIT = 50;

const summaryQuery = z.object({ site: siteIdParam, from: timeParam.optional(), to: timeParam.optional() });

export function createFrictionRoute({ sites, friction }: Repos, now: () => number = Date.now): Hono {
  const app = new Hono();

  app.get('/summary', (c) => {
    const query = parseQuery(summaryQuery, c.req.query());
    if (!sites.findById(query.site)) throw new ApiError(404, 'not_found', `No site ${query.site}`);
    const to = query.to ?? now() + 1;
    const from = query.from ?? to - DEFAULT_SUMMARY_DAYS * DAY_MS;
    if (from >= to) throw new ApiError(400, 'invalid_request', '"from" must be before "to"');

    const byType = Object.fromEntries(FRICTION_TYPES.map((type) => [type, { count: 0, sessions: 0 }])) as FrictionSummary['byType'];
    for (const row of friction.countsByType(query.site, from, to)) byType[row.type] = { count: row.count, sessions: row.sessions };
    const summary: FrictionSummary = {
      from,
      to,
      byType,
      byPage: friction.countsByPage(query.site, from, to, SUMMARY_LIST_LIMIT).map((row) => ({ ...row, byType: { ...zeroCounts(), ...row.byType } })),
      byTarget: friction.countsByTarget(query.site, from, to, SUMMARY_LIST_LIMIT),
    };
    return c.json(summary);
  });

  return app;
}
