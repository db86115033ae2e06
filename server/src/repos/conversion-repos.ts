// Builds the conversion impact repositories on one database handle.
import type { Database } from 'better-sqlite3';
import { createConversionAggregatesRepo, type ConversionAggregatesRepo } from './conversion-aggregates-repo';
import { createConversionFactsRepo, type ConversionFactsRepo } from './conversion-facts-repo';
import { createConversionQueriesRepo, type ConversionQueriesRepo } from './conversion-queries-repo';
import { createFunnelsRepo, type FunnelsRepo } from './funnels-repo';
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
}

export function createConversionRepos(db: Database): ConversionRepos {
  return {
    goals: createGoalsRepo(db),
    goalJobs: createGoalJobsRepo(db),
    completions: createGoalCompletionsRepo(db),
    funnels: createFunnelsRepo(db),
    facts: createConversionFactsRepo(db),
    queries: createConversionQueriesRepo(db),
    aggregates: createConversionAggregatesRepo(db),
  };
}
