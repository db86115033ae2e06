// Builds every repository on a PostgreSQL pool.
import type { Pool } from 'pg';
import type { AppRepos } from '../create-repos';
import { createPgAdminSessionsRepo } from './pg-admin-sessions-repo';
import { createPgAnalysisQueueRepo } from './pg-analysis-queue-repo';
import { createPgChunksRepo } from './pg-chunks-repo';
import { createPgConversionAggregatesRepo } from './pg-conversion-aggregates-repo';
import { createPgConversionFactsRepo } from './pg-conversion-facts-repo';
import { createPgConversionQueriesRepo } from './pg-conversion-queries-repo';
import { createPgFormOutcomesRepo } from './pg-form-outcomes-repo';
import { createPgFormReportRepo } from './pg-form-report-repo';
import { createPgFrictionRepo } from './pg-friction-repo';
import { createPgFunnelsRepo } from './pg-funnels-repo';
import { createPgGoalChangesRepo } from './pg-goal-changes-repo';
import { createPgGoalCompletionsRepo } from './pg-goal-completions-repo';
import { createPgGoalJobsRepo } from './pg-goal-jobs-repo';
import { createPgGoalsRepo } from './pg-goals-repo';
import { createPgHeatmapRepos } from './pg-heatmap-repos';
import { createPgPageSignalsRepo } from './pg-page-signals-repo';
import { createPgPagesRepo } from './pg-pages-repo';
import { createPgSessionDeletionRepo } from './pg-session-deletion-repo';
import { createPgSessionTimelineRepo } from './pg-session-timeline-repo';
import { createPgSessionsRepo } from './pg-sessions-repo';
import { createPgSitesRepo } from './pg-sites-repo';

export function createPgRepos(pool: Pool): AppRepos {
  return {
    sites: createPgSitesRepo(pool),
    sessions: createPgSessionsRepo(pool),
    pages: createPgPagesRepo(pool),
    chunks: createPgChunksRepo(pool),
    analysisQueue: createPgAnalysisQueueRepo(pool),
    pageSignals: createPgPageSignalsRepo(pool),
    friction: createPgFrictionRepo(pool),
    heatmaps: createPgHeatmapRepos(pool),
    conversions: {
      goals: createPgGoalsRepo(pool),
      goalJobs: createPgGoalJobsRepo(pool),
      completions: createPgGoalCompletionsRepo(pool),
      changes: createPgGoalChangesRepo(pool),
      funnels: createPgFunnelsRepo(pool),
      facts: createPgConversionFactsRepo(pool),
      queries: createPgConversionQueriesRepo(pool),
      aggregates: createPgConversionAggregatesRepo(pool),
    },
    forms: { outcomes: createPgFormOutcomesRepo(pool), report: createPgFormReportRepo(pool) },
    sessionTimeline: createPgSessionTimelineRepo(pool),
    adminSessions: createPgAdminSessionsRepo(pool),
    deletion: createPgSessionDeletionRepo(pool),
  };
}
