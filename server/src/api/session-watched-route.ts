// PUT and DELETE /api/sessions/:id/watched: the watched mark of a session, kept on the server for everyone.
import { Hono } from 'hono';
import type { WatchedMark } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';

export function createSessionWatchedRoute({ sessions }: Repos, now: () => number = Date.now): Hono {
  const app = new Hono();

  function mark(id: string, at: number | null): WatchedMark {
    if (!sessions.setWatched(id, at)) throw new ApiError(404, 'not_found', `No session ${id}`);
    return { id, watchedAt: at };
  }

  // Marking again moves the mark to now: "watched" says when someone last opened it.
  app.put('/:id/watched', (c) => c.json(mark(c.req.param('id'), now())));
  app.delete('/:id/watched', (c) => c.json(mark(c.req.param('id'), null)));

  return app;
}
