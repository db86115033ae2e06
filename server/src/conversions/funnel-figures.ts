// A funnel report's figures from the counts SQLite makes over the range: each page step's pattern is matched against the range's distinct URLs here, the paths are followed there.
import type { FunnelStep, FunnelStepReport } from '../api-types';
import type { ConversionAggregatesRepo, FunnelStepHits } from '../repos/conversion-aggregates-repo';
import type { RangeQuery } from '../repos/conversion-queries-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import { funnelStepReports } from './funnel-report';
import { urlMatches } from './goal-completion';

/** The same figures as funnelReport gives over every session, visit, tracked event and flag of the range. */
export async function funnelFigures(aggregates: MaybeAsync<ConversionAggregatesRepo>, range: RangeQuery, steps: readonly FunnelStep[]): Promise<FunnelStepReport[]> {
  const urls = steps.some((step) => step.kind === 'page') ? await aggregates.urls(range) : [];
  const hits = steps.map((step): FunnelStepHits => (step.kind === 'page' ? { urls: urls.filter((url) => urlMatches(step.pattern, url)) } : { event: step.event }));
  return funnelStepReports(steps, await aggregates.funnel(range, hits));
}
