// Goal recomputation jobs on PostgreSQL: claimed with FOR UPDATE SKIP LOCKED, so nodes never take the same one.
import { toJobStatus, type ClaimedGoalJob, type GoalJobsRepo, type JobRow } from '../goal-jobs-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

// The site id comes from the goal: the API names goals by id alone.
const start = statement<[string, number, number, number]>(
  'goal_jobs_start',
  `INSERT INTO goal_jobs (site_id, goal_id, goal_version, state, done, total, after_session, claimed_until, created_at, finished_at, error)
   SELECT site_id, id, $2, 'pending', 0, $3, '', 0, $4, NULL, NULL FROM goals WHERE id = $1
   ON CONFLICT (site_id, goal_id) DO UPDATE SET goal_version = excluded.goal_version, state = 'pending', done = 0, total = excluded.total,
     after_session = '', claimed_until = 0, created_at = excluded.created_at, finished_at = NULL, error = NULL`,
);
const status = statement<[string], JobRow>('goal_jobs_status', 'SELECT state, done, total, finished_at, error FROM goal_jobs WHERE goal_id = $1');
const claim = statement<[number, number], ClaimedGoalJob>(
  'goal_jobs_claim',
  `UPDATE goal_jobs j SET state = 'running', claimed_until = $1 + $2
   FROM (SELECT site_id, goal_id FROM goal_jobs WHERE state IN ('pending', 'running') AND claimed_until <= $1
         ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) next
   WHERE j.site_id = next.site_id AND j.goal_id = next.goal_id
   RETURNING j.goal_id AS "goalId", j.goal_version AS "goalVersion", j.after_session AS "afterSession", j.done, j.total`,
);
const advance = statement<[string, number, string, number]>(
  'goal_jobs_advance',
  `UPDATE goal_jobs SET after_session = $3, done = $4, total = greatest(total, $4), claimed_until = 0
   WHERE goal_id = $1 AND goal_version = $2 AND state = 'running'`,
);
const finish = statement<[string, number, string, number, string | null]>(
  'goal_jobs_finish',
  `UPDATE goal_jobs SET state = $3, finished_at = $4, error = $5, claimed_until = 0, total = CASE WHEN $3 = 'done' THEN done ELSE total END
   WHERE goal_id = $1 AND goal_version = $2`,
);
const open = statement<[], { count: number }>('goal_jobs_open', `SELECT count(*) AS count FROM goal_jobs WHERE state IN ('pending', 'running')`);

export function createPgGoalJobsRepo(db: Queryable): Async<GoalJobsRepo> {
  return {
    async start(goalId, version, total, now) {
      await start.run(db, goalId, version, total, now);
    },
    async status(goalId) {
      const row = await status.get(db, goalId);
      return row ? toJobStatus(row) : null;
    },
    claim: (now, leaseMs) => claim.get(db, now, leaseMs),
    advance: async (goalId, version, after, done) => (await advance.run(db, goalId, version, after, done)).rowCount === 1,
    async finish(goalId, version, state, now, error) {
      await finish.run(db, goalId, version, state, now, error ?? null);
    },
    openCount: async () => (await open.get(db))?.count ?? 0,
  };
}
