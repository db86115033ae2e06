// GET /api/sessions…: list a site's sessions newest first, one session's details, and its events.
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { z } from 'zod';
import type { SessionDetail, SessionFriction, SessionList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { parseQuery } from './parse-input';
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

/**
 * Each stored body is a whole batch; its events are spliced into one array as JSON text,
 * which spares building one large object graph for long sessions. A chunk that cannot be read
 * (disk damage, or a batch the ingest check should have refused) is skipped and reported, so
 * one bad batch costs a gap in the replay rather than the whole session.
 */
function eventsJson(sessionId: string, bodies: Buffer[]): string {
  const parts: string[] = [];
  for (const [index, body] of bodies.entries()) {
    try {
      const batch = JSON.parse(gunzipSync(body).toString('utf8')) as { events: unknown[] };
      if (batch.events.length > 0) parts.push(JSON.stringify(batch.events).slice(1, -1));
    } catch (error) {
      console.warn(`frictionlens: skipped unreadable batch ${index} of session ${sessionId}:`, error);
    }
  }
  return `[${parts.join(',')}]`;
}

export function createSessionsRoute({ sites, sessions, pages, chunks, friction }: Repos): Hono {
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

  app.get('/:id/events', (c) => {
    const id = c.req.param('id');
    if (!sessions.get(id)) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.body(eventsJson(id, chunks.bodiesBySession(id)), 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });

  return app;
}
