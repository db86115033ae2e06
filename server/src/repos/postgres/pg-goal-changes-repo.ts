// Creating or redefining a goal together with its recomputation job on PostgreSQL, in one transaction.
import type { Pool } from 'pg';
import type { GoalChangesRepo } from '../goal-changes-repo';
import type { Async } from '../maybe-async';
import { createPgGoalCompletionsRepo } from './pg-goal-completions-repo';
import { createPgGoalJobsRepo } from './pg-goal-jobs-repo';
import { createPgGoalsRepo } from './pg-goals-repo';
import { inTransaction } from './pg-statement';

export function createPgGoalChangesRepo(pool: Pool): Async<GoalChangesRepo> {
  // Repositories on the transaction's client: their statements are module constants, so this is cheap.
  const on = (client: Parameters<typeof createPgGoalsRepo>[0]) => ({
    goals: createPgGoalsRepo(client),
    goalJobs: createPgGoalJobsRepo(client),
    completions: createPgGoalCompletionsRepo(client),
  });
  return {
    create: (siteId, input, now) =>
      inTransaction(pool, async (client) => {
        const { goals, goalJobs, completions } = on(client);
        const goal = await goals.create(siteId, input, now);
        await goalJobs.start(goal.id, goal.version, await completions.sessionCount(siteId), now);
        return goal;
      }),
    update: (id, input, now) =>
      inTransaction(pool, async (client) => {
        const { goals, goalJobs, completions } = on(client);
        const result = await goals.update(id, input, now);
        if (!result) return undefined;
        if (result.definitionChanged) {
          await completions.clearGoal(id);
          await goalJobs.start(id, result.goal.version, await completions.sessionCount(result.goal.siteId), now);
        }
        return result.goal;
      }),
  };
}
