// GET /api/friction/summary and /timeseries: a site's friction per type, page, element and day, for the viewer's overview.
import { Hono } from 'hono';
import { z } from 'zod';
import { FRICTION_TYPES, type FrictionSummary, type FrictionTimeseries } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { zeroCounts } from '../repos/friction-repo';
import { parseQuery } from './parse-input';
import { siteIdParam, timeParam } from './query-fields';

/** Without bounds the summary covers the last 30 days. */
export const DEFAULT_SUMMARY_DAYS = 30;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Up to two days the series counts per hour (48 points at most); longer ranges per day. */
export const HOURLY_SERIES_MAX_RANGE_MS = 2 * DAY_MS;
/** Two years of days: a longer series is more points than a chart can show. */
export const SERIES_MAX_RANGE_MS = 731 * DAY_MS;
/** Rows per list: an overview shows the top of each, not all of them. */
export const SUMMARY_LIST_LIMIT = 50;

const summaryQuery = z.object({ site: siteIdParam, from: timeParam.optional(), to: timeParam.optional() });

export function createFrictionRoute({ sites, friction }: AppRepos, now: () => number = Date.now): Hono {
  const app = new Hono();

  /** The query's site and range, defaults filled in: the last 30 days up to now. */
  async function rangeOf(query: z.output<typeof summaryQuery>): Promise<{ from: number; to: number }> {
    if (!(await sites.findById(query.site))) throw new ApiError(404, 'not_found', `No site ${query.site}`);
    const to = query.to ?? now() + 1;
    const from = query.from ?? to - DEFAULT_SUMMARY_DAYS * DAY_MS;
    if (from >= to) throw new ApiError(400, 'invalid_request', '"from" must be before "to"');
    return { from, to };
  }

  app.get('/summary', async (c) => {
    const query = parseQuery(summaryQuery, c.req.query());
    const { from, to } = await rangeOf(query);

    const byType = Object.fromEntries(FRICTION_TYPES.map((type) => [type, { count: 0, sessions: 0 }])) as FrictionSummary['byType'];
    const [types, pages, targets] = await Promise.all([
      friction.countsByType(query.site, from, to),
      friction.countsByPage(query.site, from, to, SUMMARY_LIST_LIMIT),
      friction.countsByTarget(query.site, from, to, SUMMARY_LIST_LIMIT),
    ]);
    for (const row of types) byType[row.type] = { count: row.count, sessions: row.sessions };
    const summary: FrictionSummary = {
      from,
      to,
      byType,
      byPage: pages.map((row) => ({ ...row, byType: { ...zeroCounts(), ...row.byType } })),
      byTarget: targets,
    };
    return c.json(summary);
  });

  app.get('/timeseries', async (c) => {
    const query = parseQuery(summaryQuery, c.req.query());
    const { from, to } = await rangeOf(query);
    if (to - from > SERIES_MAX_RANGE_MS) throw new ApiError(400, 'invalid_request', `The range is too long for a time series (at most ${SERIES_MAX_RANGE_MS / DAY_MS} days)`);
    const bucket = to - from <= HOURLY_SERIES_MAX_RANGE_MS ? 'hour' : 'day';
    const bucketMs = bucket === 'hour' ? HOUR_MS : DAY_MS;
    // Whole UTC hours or days, so two requests for overlapping ranges draw the same bars.
    const start = Math.floor(from / bucketMs) * bucketMs;
    const buckets: FrictionTimeseries['buckets'] = [];
    for (let at = start; at < to; at += bucketMs) buckets.push({ start: at, counts: zeroCounts() });
    for (const row of await friction.countsByBucket(query.site, start, to, bucketMs)) buckets[row.bucket]!.counts[row.type] = row.count;
    return c.json({ from: start, to, bucket, buckets } satisfies FrictionTimeseries);
  });

  return app;
}
