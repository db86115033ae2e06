// The goal recomputation jobs: one row per goal, claimed with a lease, advanced a slice of sessions at a time.
import type { Database } from 'better-sqlite3';
import type { GoalJobStatus } from '../api-types';

export interface ClaimedGoalJob {
  goalId: string;
  goalVersion: number;
  afterSession: string;
  done: number;
  total: number;
}

export interface GoalJobsRepo {
  /** Starts (or starts over) the goal's job for this version: every session of the site, from the first. */
  start(goalId: string, goalVersion: number, total: number, now: number): void;
  status(goalId: string): GoalJobStatus | null;
  /** The oldest open job whose lease has ended, leased until now + leaseMs; one statement, so two workers never take the same one. */
  claim(now: number, leaseMs: number): ClaimedGoalJob | undefined;
  /** Records a computed slice; only while the job is still for this version (a definition change replaces it). */
  advance(goalId: string, goalVersion: number, afterSession: string, done: number): boolean;
  finish(goalId: string, goalVersion: number, state: 'done' | 'failed', now: number, error?: string): void;
  /** Jobs not finished: the viewer polls until this is 0. */
  openCount(): number;
}

/** A job's status columns, as both backends return them. */
export interface JobRow {
  state: GoalJobStatus['state'];
  done: number;
  total: number;
  finished_at: number | null;
  error: string | null;
}

export const toJobStatus = (row: JobRow): GoalJobStatus => ({ state: row.state, done: row.done, total: row.total, finishedAt: row.finished_at, error: row.error });

export function createGoalJobsRepo(db: Database): GoalJobsRepo {
  const start = db.prepare<[{ goalId: string; version: number; total: number; now: number }]>(
    `INSERT INTO goal_jobs (goal_id, goal_version, state, done, total, after_session, claimed_until, created_at, finished_at, error)
     VALUES (@goalId, @version, 'pending', 0, @total, '', 0, @now, NULL, NULL)
     ON CONFLICT (goal_id) DO UPDATE SET goal_version = excluded.goal_version, state = 'pending', done = 0, total = excluded.total,
       after_session = '', claimed_until = 0, created_at = excluded.created_at, finished_at = NULL, error = NULL`,
  );
  const status = db.prepare<[string], JobRow>('SELECT state, done, total, finished_at, error FROM goal_jobs WHERE goal_id = ?');
  const claim = db.prepare<[{ now: number; lease: number }], ClaimedGoalJob>(
    `UPDATE goal_jobs SET state = 'running', claimed_until = @now + @lease
     WHERE goal_id = (SELECT goal_id FROM goal_jobs WHERE state IN ('pending', 'running') AND claimed_until <= @now ORDER BY created_at LIMIT 1)
     RETURNING goal_id AS goalId, goal_version AS goalVersion, after_session AS afterSession, done, total`,
  );
  const advance = db.prepare<[{ goalId: string; version: number; after: string; done: number }]>(
    `UPDATE goal_jobs SET after_session = @after, done = @done, total = max(total, @done), claimed_until = 0
     WHERE goal_id = @goalId AND goal_version = @version AND state = 'running'`,
  );
  const finish = db.prepare<[{ goalId: string; version: number; state: string; now: number; error: string | null }]>(
    `UPDATE goal_jobs SET state = @state, finished_at = @now, error = @error, claimed_until = 0, total = CASE WHEN @state = 'done' THEN done ELSE total END
     WHERE goal_id = @goalId AND goal_version = @version`,
  );
  const open = db.prepare<[], number>(`SELECT count(*) FROM goal_jobs WHERE state IN ('pending', 'running')`).pluck();

  return {
    start(goalId, version, total, now) {
      start.run({ goalId, version, total, now });
    },
    status(goalId) {
      const row = status.get(goalId);
      return row ? toJobStatus(row) : null;
    },
    claim: (now, leaseMs) => claim.get({ now, lease: leaseMs }),
    advance: (goalId, version, after, done) => advance.run({ goalId, version, after, done }).changes === 1,
    finish(goalId, version, state, now, error) {
      finish.run({ goalId, version, state, now, error: error ?? null });
    },
    openCount: () => open.get() ?? 0,
  };
}
