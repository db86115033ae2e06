// Builds the heatmaps' repositories on PostgreSQL: the click repository shares the keys repository's bulk lookups.
import type { HeatmapRepos } from '../heatmap-repos';
import type { Async } from '../maybe-async';
import { createPgHeatmapClicksRepo } from './pg-heatmap-clicks-repo';
import { createPgHeatmapKeysRepo } from './pg-heatmap-keys-repo';
import { createPgHeatmapLoadsRepo } from './pg-heatmap-loads-repo';
import { createPgHeatmapQueriesRepo } from './pg-heatmap-queries-repo';
import { createPgHeatmapScrollsRepo } from './pg-heatmap-scrolls-repo';
import type { Queryable } from './pg-statement';

export function createPgHeatmapRepos(db: Queryable): Async<HeatmapRepos> {
  const keys = createPgHeatmapKeysRepo(db);
  return {
    keys,
    clicks: createPgHeatmapClicksRepo(db, keys),
    scrolls: createPgHeatmapScrollsRepo(db),
    loads: createPgHeatmapLoadsRepo(db),
    queries: createPgHeatmapQueriesRepo(db),
  };
}
