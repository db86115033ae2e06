// GET /api/sessions/:id/timeline: a session's pages, clicks, errors, failed requests and friction flags in time order, for the player's side panel and markers.
import { Hono } from 'hono';
import { z } from 'zod';
import type { SessionTimeline } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { buildSessionTimeline } from './build-session-timeline';
import { parseQuery } from './parse-input';

/**
 * Entries of each kind in one response. A person reads a list of a few hundred at most; a thousand
 * clicks is a session of frantic clicking, and the count of the rest says so. Five kinds of 1,000
 * entries are about 1 MB of JSON before compression.
 */
export const MAX_TIMELINE_ENTRIES_PER_KIND = 1000;

// Strict: an unknown parameter is refused rather than ignored.
const timelineQuery = z.strictObject({
  // Asking for more than the maximum is not an error: the omitted counts say what was left out.
  limit: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1, 'must be a positive integer')
    .transform((n) => Math.min(n, MAX_TIMELINE_ENTRIES_PER_KIND))
    .default(MAX_TIMELINE_ENTRIES_PER_KIND),
});

export function createSessionTimelineRoute({ sessions, pages, friction, sessionTimeline: timeline }: AppRepos): Hono {
  const app = new Hono();

  app.get('/:id/timeline', async (c) => {
    const id = c.req.param('id');
    const { limit } = parseQuery(timelineQuery, c.req.query());
    if (!(await sessions.get(id))) throw new ApiError(404, 'not_found', `No session ${id}`);
    const [pageList, signals, flags, pendingBatches] = await Promise.all([pages.listBySession(id), timeline.signals(id), friction.listBySession(id), timeline.pendingBatches(id)]);
    const built = buildSessionTimeline({ pages: pageList, signals, friction: flags, limit });
    return c.json({ ...built, pendingBatches } satisfies SessionTimeline);
  });

  return app;
}
