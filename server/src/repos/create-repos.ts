// Builds every repository on one database handle, so the app prepares each statement once at startup.
import type { Database } from 'better-sqlite3';
import { createAdminSessionsRepo, type AdminSessionsRepo } from './admin-sessions-repo';
import { createAnalysisQueueRepo, type AnalysisQueueRepo } from './analysis-queue-repo';
import { createChunksRepo, type ChunksRepo } from './chunks-repo';
import { createConversionRepos, type ConversionRepos } from './conversion-repos';
import { createFormRepos, type FormRepos } from './form-repos';
import { createFrictionRepo, type FrictionRepo } from './friction-repo';
import { createHeatmapRepos, type HeatmapRepos } from './heatmap-repos';
import { createPageSignalsRepo, type PageSignalsRepo } from './page-signals-repo';
import type { MaybeAsync } from './maybe-async';
import { createPagesRepo, type PagesRepo } from './pages-repo';
import { createSessionDeletionRepo, type SessionDeletionRepo } from './session-deletion-repo';
import { createSessionTimelineRepo, type SessionTimelineRepo } from './session-timeline-repo';
import { createSessionsRepo, type SessionsRepo } from './sessions-repo';
import { createSitesRepo, type SitesRepo } from './sites-repo';

/**
 * The SQLite repositories, synchronous: ingest calls them inside its write transactions as they are.
 * Everything else takes them as AppRepos.
 */
export interface Repos {
  sites: SitesRepo;
  sessions: SessionsRepo;
  pages: PagesRepo;
  chunks: ChunksRepo;
  analysisQueue: AnalysisQueueRepo;
  pageSignals: PageSignalsRepo;
  friction: FrictionRepo;
  heatmaps: HeatmapRepos;
  conversions: ConversionRepos;
  forms: FormRepos;
  sessionTimeline: SessionTimelineRepo;
  adminSessions: AdminSessionsRepo;
  deletion: SessionDeletionRepo;
}

/** The repositories on either backend (SQLite's answer at once, PostgreSQL's later): routes and jobs await every call. */
export type AppRepos = MaybeAsync<Repos>;

export function createRepos(db: Database): Repos {
  return {
    sites: createSitesRepo(db),
    sessions: createSessionsRepo(db),
    pages: createPagesRepo(db),
    chunks: createChunksRepo(db),
    analysisQueue: createAnalysisQueueRepo(db),
    pageSignals: createPageSignalsRepo(db),
    friction: createFrictionRepo(db),
    heatmaps: createHeatmapRepos(db),
    conversions: createConversionRepos(db),
    forms: createFormRepos(db),
    sessionTimeline: createSessionTimelineRepo(db),
    adminSessions: createAdminSessionsRepo(db),
    deletion: createSessionDeletionRepo(db),
  };
}
