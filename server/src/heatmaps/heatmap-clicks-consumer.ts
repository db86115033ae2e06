// The consumer that keeps each batch's clicks for the heatmaps, unplaced until the page hook places them.
import type { BatchConsumer } from '../analysis/batch-consumer';
import type { HeatmapClicksRepo } from '../repos/heatmap-clicks-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import { clickRow, type ClickRow } from './click-row';
import { extractClicks } from './extract-clicks';

export function createHeatmapClicksConsumer(clicks: MaybeAsync<HeatmapClicksRepo>): BatchConsumer<ClickRow[]> {
  return {
    name: 'heatmap-clicks',
    read: (batch) => extractClicks(batch.events, batch.url).map(clickRow),
    async write(batch, rows) {
      await clicks.replaceBatch(batch, rows);
    },
  };
}
