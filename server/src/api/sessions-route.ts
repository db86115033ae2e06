// GET /api/sessions…: list a site's sessions newest first, one session's details, its friction and its events.
import { Hono } from 'hono';
import { z } from 'zod';
import type { SessionDetail, SessionFriction, SessionList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { parseQuery } from './parse-input';
import { createSessionBatchesRoute } from './session-batches-route';
import { sessionEventsStream } from './session-events-stream';
import { frictionTypesParam, siteIdParam } from './query-fields';
import { decodeCursor, encodeCursor } from './session-cursor';

export const DEFAULT_SESSION_PAGE_SIZE = 50;
export const MAX_SESSION_PAGE_SIZE = 200;

const listQuery = z.object({
  site: siteIdParam,
  // Asking for more than the maximum is not an error; the cursor brings the rest.
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1, 'must be a positive integer')
    .transform((n) => Math.min(n, MAX_SESSION_PAGE_SIZE))
    .default(DEFAULT_SESSION_PAGE_SIZE),
  before: z.string().max(512).transform(decodeCursor).optional(),
  friction: frictionTypesParam.optional(),
});

export function createSessionsRoute(repos: Repos): Hono {
  const { sites, sessions, pages, chunks, friction } = repos;
  const app = new Hono();

  app.get('/', (c) => {
    const { site: siteId, limit, before: position, friction } = parseQuery(listQuery, c.req.query());
    if (!sites.findById(siteId)) throw new ApiError(404, 'not_found', `No site ${siteId}`);

    // One extra row tells whether another page exists without a count query.
    const rows = sessions.listBySite(siteId, limit + 1, position, { friction });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null;
    return c.json({ sessions: page, nextCursor } satisfies SessionList);
  });

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const session = sessions.get(id);
    if (!session) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.json({ ...session, pages: pages.listBySession(id) } satisfies SessionDetail);
  });

  app.get('/:id/friction', (c) => {
    const id = c.req.param('id');
    if (!sessions.get(id)) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.json({ friction: friction.listBySession(id) } satisfies SessionFriction);
  });

  // All events at once, for scripts and tests; the viewer streams the batches instead.
  app.get('/:id/events', (c) => {
    const id = c.req.param('id');
    if (!sessions.get(id)) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.body(sessionEventsStream(chunks, id), 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });

  app.route('/', createSessionBatchesRoute(repos));

  return app;
}
