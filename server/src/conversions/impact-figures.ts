// The figures of an impact report (overall rate, ranked opportunities, segments) from the counts SQLite makes over the range, and an opportunity's sessions from its own flags.
import type { ImpactReport, ReplayMoment } from '../api-types';
import type { ConversionAggregatesRepo } from '../repos/conversion-aggregates-repo';
import type { ConversionQueriesRepo, RangeQuery } from '../repos/conversion-queries-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import { segmentsOfGroups } from './conversion-segments';
import { opportunitySessions, pageKeyOf, rankOpportunityCounts, type OpportunityCounts, type OpportunityKey } from './impact-ranking';

/**
 * The same figures as rankOpportunities and conversionSegments give over every session, visit and
 * flag of the range, counted by the database instead: the range's distinct URLs are mapped to their
 * page (path or URL pattern) here, and the counts are grouped by page there.
 */
export async function impactFigures(
  aggregates: MaybeAsync<ConversionAggregatesRepo>,
  range: RangeQuery,
  goalId: string,
  urlPatterns: readonly string[],
): Promise<Pick<ImpactReport, 'overall' | 'opportunities' | 'segments'>> {
  const [groups, urls] = await Promise.all([aggregates.segments(range, goalId), aggregates.urls(range)]);
  let sessions = 0;
  let conversions = 0;
  for (const group of groups) {
    sessions += group.sessions;
    conversions += group.conversions;
  }
  const pageKey = pageKeyOf(urlPatterns);
  const pages: string[] = [];
  const pageIndex = new Map<string, number>();
  const pageOf = new Map<string, number>();
  for (const url of urls) {
    const key = pageKey(url);
    let index = pageIndex.get(key);
    if (index === undefined) pageIndex.set(key, (index = pages.push(key) - 1));
    pageOf.set(url, index);
  }
  const affected = await aggregates.opportunities(range, goalId, pageOf);
  const flagged = new Set(affected.map((row) => row.page));
  const reach = new Map((await aggregates.reach(range, goalId, new Map([...pageOf].filter(([, page]) => flagged.has(page))))).map((row) => [row.page, row]));
  const counts = affected.map(
    (row): OpportunityCounts => ({
      type: row.type,
      page: pages[row.page]!,
      target: row.target,
      field: row.field,
      label: row.label,
      affected: { sessions: row.sessions, conversions: row.conversions },
      reached: { sessions: reach.get(row.page)!.sessions, conversions: reach.get(row.page)!.conversions },
    }),
  );
  return {
    overall: { sessions, conversions, rate: sessions ? conversions / sessions : null },
    opportunities: rankOpportunityCounts(counts),
    segments: segmentsOfGroups(groups),
  };
}

/**
 * The same list as opportunitySessions over every row of the range, from only the flags of the
 * opportunity's type on the paths of its page and their sessions: the other rows cannot change it.
 */
export async function affectedSessions(
  queries: MaybeAsync<ConversionQueriesRepo>,
  aggregates: MaybeAsync<ConversionAggregatesRepo>,
  range: RangeQuery,
  goalId: string,
  urlPatterns: readonly string[],
  key: OpportunityKey,
): Promise<ReplayMoment[]> {
  const pageKey = pageKeyOf(urlPatterns);
  const friction = await queries.frictionOn(range, key.type, (await aggregates.urls(range)).filter((url) => pageKey(url) === key.page));
  const sessions = await queries.sessionsById([...new Set(friction.map((flag) => flag.sessionId))], goalId);
  return opportunitySessions({ sessions, visits: [], friction, urlPatterns }, key);
}
