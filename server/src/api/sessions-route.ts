// /api/sessions…: a site's session list, one session's details, its friction, timeline, events and watched mark.
import { Hono } from 'hono';
import type { SessionDetail, SessionFriction } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import { createSessionBatchesRoute } from './session-batches-route';
import { sessionEventsStream } from './session-events-stream';
import { createSessionListRoute } from './session-list-route';
import { createSessionTimelineRoute } from './session-timeline-route';
import { createSessionWatchedRoute } from './session-watched-route';

export function createSessionsRoute(repos: Repos): Hono {
  const { sessions, pages, chunks, friction } = repos;
  const app = new Hono();

  app.route('/', createSessionListRoute(repos));
  app.route('/', createSessionWatchedRoute(repos));

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
  app.route('/', createSessionTimelineRoute(repos));

  return app;
}
