// Creating or redefining a goal together with its recomputation job, in one transaction.
import type { Database } from 'better-sqlite3';
import type { GoalInput } from '../api-types';
import type { GoalCompletionsRepo } from './goal-completions-repo';
import type { GoalJobsRepo } from './goal-jobs-repo';
import type { GoalsRepo, StoredGoal } from './goals-repo';

export interface GoalChangesRepo {
  /** Creates the goal and starts its job over the sessions of its site stored now (later ones are the analysis pass's). */
  create(siteId: string, input: GoalInput, now: number): StoredGoal;
  /**
   * Saves the goal; when its definition changed, its completions go at once and its job starts
   * again (a report shows the new definition, partial while the job runs). Undefined when there is no such goal.
   */
  update(id: string, input: GoalInput, now: number): StoredGoal | undefined;
}

export function createGoalChangesRepo(db: Database, repos: { goals: GoalsRepo; goalJobs: GoalJobsRepo; completions: GoalCompletionsRepo }): GoalChangesRepo {
  const { goals, goalJobs, completions } = repos;
  return {
    create: db.transaction((siteId: string, input: GoalInput, now: number) => {
      const goal = goals.create(siteId, input, now);
      goalJobs.start(goal.id, goal.version, completions.sessionCount(siteId), now);
      return goal;
    }),
    update: db.transaction((id: string, input: GoalInput, now: number) => {
      const result = goals.update(id, input, now);
      if (!result) return undefined;
      if (result.definitionChanged) {
        completions.clearGoal(id);
        goalJobs.start(id, result.goal.version, completions.sessionCount(result.goal.siteId), now);
      }
      return result.goal;
    }),
  };
}
