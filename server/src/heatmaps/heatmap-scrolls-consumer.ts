// The consumer that keeps each batch's scroll depths for the scroll maps, counted once the page hook has seen the page's views.
import type { BatchConsumer } from '../analysis/batch-consumer';
import type { HeatmapScrollsRepo } from '../repos/heatmap-scrolls-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import { extractScrollDepths, type ExtractedScrollDepth } from './extract-scroll-depths';

export function createHeatmapScrollsConsumer(scrolls: MaybeAsync<HeatmapScrollsRepo>): BatchConsumer<ExtractedScrollDepth[]> {
  return {
    name: 'heatmap-scrolls',
    read: (batch) => extractScrollDepths(batch.events),
    async write(batch, depths) {
      await scrolls.replaceBatch(batch, depths);
    },
  };
}
