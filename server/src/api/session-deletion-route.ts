// DELETE /api/sessions/:id and DELETE /api/sites/:id/users/:userId: a recording, or every recording of one identified person, gone with all derived from it.
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deleted, DeletedUserSessions } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AnalysisQueueRepo } from '../repos/analysis-queue-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import type { SessionDeletionRepo } from '../repos/session-deletion-repo';
import type { SitesRepo } from '../repos/sites-repo';
import { parsePathParam } from './parse-input';

/** Sessions per transaction: between two, the server answers the requests that waited (ingest goes on). */
export const DELETE_SLICE_SESSIONS = 50;
/** User ids are the site's own (an email, a number, a UUID); longer is not one. */
const userIdParam = z.string().min(1).max(1024);

export interface SessionDeletionRouteDeps {
  deletion: MaybeAsync<SessionDeletionRepo>;
  sites: MaybeAsync<SitesRepo>;
  analysisQueue: MaybeAsync<AnalysisQueueRepo>;
}

/**
 * Deleted rows' disk pages are handed back by the retention job's next run (within 10 minutes). A
 * session still recording is started again by its next batch, from that batch on.
 */
export function createSessionDeletionRoute({ deletion, sites, analysisQueue }: SessionDeletionRouteDeps): Hono {
  const app = new Hono();

  app.delete('/sessions/:id', async (c) => {
    const id = c.req.param('id');
    if ((await deletion.deleteSessions([id])) === 0) throw new ApiError(404, 'not_found', `No session ${id}`);
    return c.json({ id, deleted: true } satisfies Deleted);
  });

  // For a person's request to erase their data: every session any page of which identified them.
  app.delete('/sites/:id/users/:userId', async (c) => {
    const siteId = c.req.param('id');
    const userId = parsePathParam(userIdParam, 'userId', c.req.param('userId'));
    if (!(await sites.findById(siteId))) throw new ApiError(404, 'not_found', `No site ${siteId}`);
    let deletedSessions = 0;
    for (;;) {
      const ids = await deletion.userSessionIds(siteId, userId, DELETE_SLICE_SESSIONS);
      deletedSessions += await deletion.deleteSessions(ids);
      if (ids.length < DELETE_SLICE_SESSIONS) break;
      await yieldToRequests();
    }
    return c.json({ siteId, userId, deletedSessions, pendingBatches: await analysisQueue.depthForSite(siteId) } satisfies DeletedUserSessions);
  });

  return app;
}
