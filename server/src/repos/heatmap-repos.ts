// Builds the heatmaps' repositories on one database handle.
import type { Database } from 'better-sqlite3';
import { createHeatmapClicksRepo, type HeatmapClicksRepo } from './heatmap-clicks-repo';
import { createHeatmapKeysRepo, type HeatmapKeysRepo } from './heatmap-keys-repo';
import { createHeatmapLoadsRepo, type HeatmapLoadsRepo } from './heatmap-loads-repo';
import { createHeatmapQueriesRepo, type HeatmapQueriesRepo } from './heatmap-queries-repo';
import { createHeatmapScrollsRepo, type HeatmapScrollsRepo } from './heatmap-scrolls-repo';

export interface HeatmapRepos {
  keys: HeatmapKeysRepo;
  clicks: HeatmapClicksRepo;
  scrolls: HeatmapScrollsRepo;
  loads: HeatmapLoadsRepo;
  queries: HeatmapQueriesRepo;
}

export function createHeatmapRepos(db: Database): HeatmapRepos {
  const keys = createHeatmapKeysRepo(db);
  return {
    keys,
    clicks: createHeatmapClicksRepo(db, keys),
    scrolls: createHeatmapScrollsRepo(db),
    loads: createHeatmapLoadsRepo(db),
    queries: createHeatmapQueriesRepo(db),
  };
}
