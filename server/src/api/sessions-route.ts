// /api/sessions…: a site's session list, one session's details, its friction, timeline, events and watched mark.
import { Hono } from 'hono';
import type { SessionDetail, SessionFriction } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { createSessionBatchesRoute } from './session-batches-route';
import { markStreamed } from './compress-answers';
import { sessionEventsStream } from './session-events-stream';
import { createSessionListRoute } from './session-list-route';
import { createSessionTimelineRoute } from './session-timeline-route';
import { createSessionWatchedRoute } from './session-watched-route';

export function createSessionsRoute(repos: AppRepos): Hono {
  const { sessions, pages, chunks, friction } = repos;
  const app = new Hono();

  app.route('/', createSessionListRoute(repos));
  app.route('/', createSessionWatchedRoute(repos));

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const [session, pageList] = await Promise.all([sessions.get(id), pages.listBySession(id)]);
    if (!session) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.json({ ...session, pages: pageList } satisfies SessionDetail);
  });

  app.get('/:id/friction', async (c) => {
    const id = c.req.param('id');
    if (!(await sessions.get(id))) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.json({ friction: await friction.listBySession(id) } satisfies SessionFriction);
  });

  // All events at once, for scripts and tests; the viewer streams the batches instead.
  app.get('/:id/events', async (c) => {
    const id = c.req.param('id');
    if (!(await sessions.get(id))) throw new ApiError(404, 'not_found', `No session ${id}`);
    return markStreamed(c.body(sessionEventsStream(chunks, id), 200, { 'Content-Type': 'application/json; charset=UTF-8' }));
  });

  app.route('/', createSessionBatchesRoute(repos));
  app.route('/', createSessionTimelineRoute(repos));

  return app;
}
