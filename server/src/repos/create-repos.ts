// Builds every repository on one database handle, so the app prepares each statement once at startup.
import type { Database } from 'better-sqlite3';
import { createAnalysisQueueRepo, type AnalysisQueueRepo } from './analysis-queue-repo';
import { createChunksRepo, type ChunksRepo } from './chunks-repo';
import { createConversionRepos, type ConversionRepos } from './conversion-repos';
import { createFormRepos, type FormRepos } from './form-repos';
import { createFrictionRepo, type FrictionRepo } from './friction-repo';
import { createHeatmapRepos, type HeatmapRepos } from './heatmap-repos';
import { createPageSignalsRepo, type PageSignalsRepo } from './page-signals-repo';
import { createPagesRepo, type PagesRepo } from './pages-repo';
import { createSessionTimelineRepo, type SessionTimelineRepo } from './session-timeline-repo';
import { createSessionsRepo, type SessionsRepo } from './sessions-repo';
import { createSitesRepo, type SitesRepo } from './sites-repo';

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
}

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
  };
}
