// GET /api/sessions…: list a site's sessions newest first, one session's details, and its events.
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { SessionDetail, SessionList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { decodeCursor, encodeCursor } from './session-cursor';

export const DEFAULT_SESSION_PAGE_SIZE = 50;
export const MAX_SESSION_PAGE_SIZE = 200;

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_SESSION_PAGE_SIZE;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, 'invalid_request', '"limit" must be a positive integer');
  }
  // Asking for more than the maximum is not an error; the cursor brings the rest.
  return Math.min(Number(raw), MAX_SESSION_PAGE_SIZE);
}

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

export function createSessionsRoute({ sites, sessions, pages, chunks }: Repos): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const siteId = c.req.query('site');
    if (!siteId) throw new ApiError(400, 'invalid_request', 'Missing "site" query parameter');
    const limit = parseLimit(c.req.query('limit'));
    const before = c.req.query('before');
    const position = before === undefined ? undefined : decodeCursor(before);
    if (!sites.findById(siteId)) throw new ApiError(404, 'not_found', `No site ${siteId}`);

    // One extra row tells whether another page exists without a count query.
    const rows = sessions.listBySite(siteId, limit + 1, position);
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

  app.get('/:id/events', (c) => {
    const id = c.req.param('id');
    if (!sessions.get(id)) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.body(eventsJson(id, chunks.bodiesBySession(id)), 200, { 'Content-Type': 'application/json; charset=UTF-8' });
  });

  return app;
}
