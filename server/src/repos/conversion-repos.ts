// Builds the conversion impact repositories on one database handle.
import type { Database } from 'better-sqlite3';
import { createConversionAggregatesRepo, type ConversionAggregatesRepo } from './conversion-aggregates-repo';
import { createConversionFactsRepo, type ConversionFactsRepo } from './conversion-facts-repo';
import { createConversionQueriesRepo, type ConversionQueriesRepo } from './conversion-queries-repo';
import { createFunnelsRepo, type FunnelsRepo } from './funnels-repo';
import { createGoalChangesRepo, type GoalChangesRepo } from './goal-changes-repo';
import { createGoalCompletionsRepo, type GoalCompletionsRepo } from './goal-completions-repo';
import { createGoalJobsRepo, type GoalJobsRepo } from './goal-jobs-repo';
import { createGoalsRepo, type GoalsRepo } from './goals-repo';

export interface ConversionRepos {
  goals: GoalsRepo;
  goalJobs: GoalJobsRepo;
  completions: GoalCompletionsRepo;
  funnels: FunnelsRepo;
  facts: ConversionFactsRepo;
  queries: ConversionQueriesRepo;
  aggregates: ConversionAggregatesRepo;
  /** A goal's creation or redefinition with its job, in one transaction. */
  changes: GoalChangesRepo;
}

export function createConversionRepos(db: Database): ConversionRepos {
  const goals = createGoalsRepo(db);
  const goalJobs = createGoalJobsRepo(db);
  const completions = createGoalCompletionsRepo(db);
  return {
    goals,
    goalJobs,
    completions,
    changes: createGoalChangesRepo(db, { goals, goalJobs, completions }),
    funnels: createFunnelsRepo(db),
    facts: createConversionFactsRepo(db),
    queries: createConversionQueriesRepo(db),
    aggregates: createConversionAggregatesRepo(db),
  };
}
