// PUT and DELETE /api/sessions/:id/watched: the watched mark of a session, kept on the server for everyone.
import { Hono } from 'hono';
import type { WatchedMark } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';

export function createSessionWatchedRoute({ sessions }: AppRepos, now: () => number = Date.now): Hono {
  const app = new Hono();

  async function mark(id: string, at: number | null): Promise<WatchedMark> {
    if (!(await sessions.setWatched(id, at))) throw new ApiError(404, 'not_found', `No session ${id}`);
    return { id, watchedAt: at };
  }

  // Marking again moves the mark to now: "watched" says when someone last opened it.
  app.put('/:id/watched', async (c) => c.json(await mark(c.req.param('id'), now())));
  app.delete('/:id/watched', async (c) => c.json(await mark(c.req.param('id'), null)));

  return app;
}
