// Recomputes a goal's completions over the stored sessions of its site, one slice of sessions per call, from stored page signals.
import type { AnalysisTransactions } from '../analysis/analysis-transactions';
import type { PageSignal } from '../analysis/page-signals';
import type { ConversionRepos } from '../repos/conversion-repos';
import type { MaybeAsync } from '../repos/maybe-async';
import type { GoalCompletion, StoredPageBatch } from '../repos/goal-completions-repo';
import type { StoredGoal } from '../repos/goals-repo';
import { goalCompletionTs, goalNeedles } from './goal-completion';

/** Sessions per slice: the loop goes back to the analysis queue after each, so a slice must stay short (tens of ms). */
export const GOAL_JOB_SLICE_SESSIONS = 100;
/** A claimed job whose worker died is taken again after this long. */
export const GOAL_JOB_LEASE_MS = 60_000;

export interface GoalJobRunner {
  readonly name: string;
  /** Computes one slice of the oldest open job; false when there was none. */
  runSlice(): Promise<boolean>;
}

class Superseded extends Error {}

/**
 * Sessions are walked in id order from after_session, so the job resumes where it stopped after a
 * restart. Each slice replaces the goal's completions of its sessions and records its progress in
 * one transaction; a definition change meanwhile replaces the job (new version), and the slice of
 * the old one is rolled back. Each slice claims its job row (on PostgreSQL with SKIP LOCKED, for
 * the lease), so two nodes never compute the same slice of a job.
 */
export function createGoalJobRunner(
  transactions: AnalysisTransactions,
  { goals, goalJobs, completions }: MaybeAsync<ConversionRepos>,
  { now = Date.now, sliceSessions = GOAL_JOB_SLICE_SESSIONS, log = (message: string, error?: unknown) => console.warn(`frictionlens: ${message}`, error ?? '') } = {},
): GoalJobRunner {
  const store = (goal: StoredGoal, version: number, after: string, last: string, rows: GoalCompletion[], done: number) =>
    transactions.transaction(async () => {
      if (!(await goalJobs.advance(goal.id, version, last, done))) throw new Superseded();
      await completions.replaceForSessions(goal.id, after, last, rows);
    });

  return {
    name: 'goal-jobs',
    async runSlice() {
      const job = await goalJobs.claim(now(), GOAL_JOB_LEASE_MS);
      if (!job) return false;
      const goal = await goals.get(job.goalId);
      if (!goal || goal.version !== job.goalVersion) return true;
      try {
        const ids = await completions.sessionIdsAfter(goal.siteId, job.afterSession, sliceSessions);
        const last = ids.at(-1);
        if (last !== undefined) {
          const rows = completionsOf(goal, await completions.batchesWithNeedles(goal.siteId, job.afterSession, last, goalNeedles(goal.definition)));
          await store(goal, job.goalVersion, job.afterSession, last, rows, job.done + ids.length);
        }
        if (ids.length < sliceSessions) await goalJobs.finish(goal.id, job.goalVersion, 'done', now());
      } catch (error) {
        if (error instanceof Superseded) return true;
        log(`goal job for goal ${goal.id} failed:`, error);
        await goalJobs.finish(goal.id, job.goalVersion, 'failed', now(), error instanceof Error ? error.message : String(error));
      }
      return true;
    },
  };
}

/**
 * Groups the batches by page load (a late piece of a page can follow the next page's batches) and
 * computes the goal on each. Only pages whose stored JSON holds the goal's needles come back from
 * the database (reading and parsing every page's JSON would be most of the cost); the check is
 * repeated here so the function stands alone.
 */
function completionsOf(goal: StoredGoal, batches: readonly StoredPageBatch[]): GoalCompletion[] {
  const pages = new Map<string, { sessionId: string; pageId: string; url: string; json: string[] }>();
  for (const batch of batches) {
    const key = `${batch.sessionId}\n${batch.pageId}`;
    let page = pages.get(key);
    if (!page) pages.set(key, (page = { sessionId: batch.sessionId, pageId: batch.pageId, url: batch.url, json: [] }));
    page.json.push(batch.signals);
  }
  const needles = goalNeedles(goal.definition);
  const rows: GoalCompletion[] = [];
  for (const page of pages.values()) {
    if (!needles.every((needle) => page.url.includes(needle) || page.json.some((json) => json.includes(needle)))) continue;
    const signals = page.json.flatMap((json) => JSON.parse(json) as PageSignal[]);
    const ts = goalCompletionTs(goal.definition, signals.sort((a, b) => a.t - b.t), page.url);
    if (ts !== null) rows.push({ goalId: goal.id, sessionId: page.sessionId, pageId: page.pageId, ts });
  }
  return rows;
}
