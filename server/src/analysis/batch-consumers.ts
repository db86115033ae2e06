// The analyses the pass feeds, in one list: adding an analysis means adding a consumer here, never another decode.
import type { AppRepos } from '../repos/create-repos';
import { createConversionPageHook } from '../conversions/conversion-page-hook';
import { createFormOutcomesPageHook } from '../forms/form-outcomes-page-hook';
import { createHeatmapClicksConsumer } from '../heatmaps/heatmap-clicks-consumer';
import { createHeatmapPageHook } from '../heatmaps/heatmap-page-hook';
import { createHeatmapScrollsConsumer } from '../heatmaps/heatmap-scrolls-consumer';
import type { BatchConsumer } from './batch-consumer';
import type { PageHook } from './page-hook';
import { createSignalsConsumer } from './signals-consumer';

export function createBatchConsumers(repos: AppRepos, now: () => number): BatchConsumer[] {
  return [
    createSignalsConsumer(repos.pageSignals, now) as BatchConsumer,
    createHeatmapClicksConsumer(repos.heatmaps.clicks) as BatchConsumer,
    createHeatmapScrollsConsumer(repos.heatmaps.scrolls) as BatchConsumer,
  ];
}

/** What runs after a page is judged, with its friction: placing the heatmaps' clicks (their rage, dead and error kinds) and scroll depths; goal completions and the facts impact and funnels read; each form's outcome for the abandoned-forms view. */
export function createPageHooks(repos: AppRepos): PageHook[] {
  return [createHeatmapPageHook(repos.heatmaps), createConversionPageHook(repos.conversions), createFormOutcomesPageHook(repos.forms.outcomes)];
}
