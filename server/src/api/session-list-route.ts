// GET /api/sessions?site=…: a site's sessions in one of three orders, filtered by the server, a page at a time.
import { Hono } from 'hono';
import { z } from 'zod';
import { SESSION_DEVICE_CLASSES, SESSION_SORTS, type SessionList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import type { SessionFilter } from '../repos/sessions-repo';
import { parseQuery } from './parse-input';
import { frictionTypesParam, siteIdParam, timeParam } from './query-fields';
import { decodeCursor, encodeCursor, positionOf } from './session-cursor';

export const DEFAULT_SESSION_PAGE_SIZE = 50;
export const MAX_SESSION_PAGE_SIZE = 200;
/** Longer than any URL a browser keeps in its address bar; the filter is a fragment of one. */
const MAX_URL_FILTER_CHARS = 2048;

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((text) => text === 'true');
const durationMs = z.string().regex(/^\d{1,12}$/, 'must be a whole number of milliseconds').transform(Number);

// Strict: a misspelt filter (minDuration for minDurationMs) is refused rather than silently listing everything.
const listQuery = z.strictObject(
  {
    site: siteIdParam,
    // Asking for more than the maximum is not an error; the cursor brings the rest.
    limit: z
      .string()
      .regex(/^\d+$/, 'must be a positive integer')
      .transform(Number)
      .refine((n) => n >= 1, 'must be a positive integer')
      .transform((n) => Math.min(n, MAX_SESSION_PAGE_SIZE))
      .default(DEFAULT_SESSION_PAGE_SIZE),
    sort: z.enum(SESSION_SORTS, { error: `must be one of ${SESSION_SORTS.join(', ')}` }).default('newest'),
    before: z.string().max(512).transform(decodeCursor).optional(),
    friction: frictionTypesParam.optional(),
    url: z.string().min(1).max(MAX_URL_FILTER_CHARS).optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    minDurationMs: durationMs.optional(),
    maxDurationMs: durationMs.optional(),
    device: z.enum(SESSION_DEVICE_CLASSES, { error: `must be one of ${SESSION_DEVICE_CLASSES.join(', ')}` }).optional(),
    browser: z.string().trim().min(1).max(64).optional(),
    errors: flag.optional(),
    identified: flag.optional(),
    user: z.string().min(1).max(256).optional(),
    watched: flag.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `"${issue.keys[0]}": no such parameter` : undefined) },
);

export function createSessionListRoute({ sites, sessions }: AppRepos): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const query = parseQuery(listQuery, c.req.query());
    if (!(await sites.findById(query.site))) throw new ApiError(404, 'not_found', `No site ${query.site}`);
    if (query.before && query.before.sort !== query.sort) {
      throw new ApiError(400, 'invalid_request', `The "before" cursor belongs to sort=${query.before.sort}, not sort=${query.sort}; start the list again without it`);
    }
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      throw new ApiError(400, 'invalid_request', '"from" must be before "to"');
    }
    if (query.minDurationMs !== undefined && query.maxDurationMs !== undefined && query.minDurationMs > query.maxDurationMs) {
      throw new ApiError(400, 'invalid_request', '"minDurationMs" must not be more than "maxDurationMs"');
    }
    const filter: SessionFilter = {
      friction: query.friction,
      urlContains: query.url,
      startedFrom: query.from,
      startedBefore: query.to,
      minDurationMs: query.minDurationMs,
      maxDurationMs: query.maxDurationMs,
      device: query.device,
      browser: query.browser,
      hasErrors: query.errors,
      identified: query.identified,
      userId: query.user,
      watched: query.watched,
    };

    // One extra row tells whether another page exists without a count query.
    const rows = await sessions.listBySite(query.site, { sort: query.sort, limit: query.limit + 1, after: query.before, filter });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor(positionOf(query.sort, last)) : null;
    return c.json({ sessions: page, nextCursor } satisfies SessionList);
  });

  return app;
}
