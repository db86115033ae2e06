// Conversion rate by device class, browser and traffic source, marking segments that convert much worse than the site; pure.
import type { ImpactReport, SegmentRate } from '../api-types';
import type { ReportSession } from '../repos/conversion-queries-repo';
import { MAX_SEGMENTS_PER_DIMENSION, MIN_SAMPLE_SESSIONS, SEGMENT_WORSE_MARGIN } from './conversion-thresholds';
import { utmSource } from './page-facts';
import { wilsonInterval } from './wilson-interval';

export const OTHER_SEGMENT = '(other)';

/** A group of sessions alike in every dimension (one session, or a count from SQL). */
export type SegmentGroup = Pick<ReportSession, 'device' | 'browser' | 'referrerHost' | 'utmSource' | 'hasSource' | 'entryUrl'> & { sessions: number; conversions: number };

/** The traffic source values: a referrer's host, '(direct)' without one, '(unknown)' for sessions analysed before referrers were kept. */
const referrerOf = (group: SegmentGroup) => (!group.hasSource ? '(unknown)' : group.referrerHost || '(direct)');
const utmOf = (group: SegmentGroup) => (group.utmSource ?? utmSource(group.entryUrl)) || '(none)';

export function conversionSegments(sessions: readonly ReportSession[], minSample = MIN_SAMPLE_SESSIONS): ImpactReport['segments'] {
  return segmentsOfGroups(
    sessions.map((session) => ({ ...session, sessions: 1, conversions: session.converted ? 1 : 0 })),
    minSample,
  );
}

/** The segments from groups of sessions: each group adds its sessions and conversions to its value in each dimension. */
export function segmentsOfGroups(groups: readonly SegmentGroup[], minSample = MIN_SAMPLE_SESSIONS): ImpactReport['segments'] {
  let total = 0;
  let converted = 0;
  for (const group of groups) {
    total += group.sessions;
    converted += group.conversions;
  }
  const average = total ? converted / total : 0;
  const dimension = (valueOf: (group: SegmentGroup) => string) => segmentRates(groups, valueOf, average, minSample);
  return {
    device: dimension((group) => group.device || 'unknown'),
    browser: dimension((group) => group.browser || 'Unknown'),
    referrer: dimension(referrerOf),
    utmSource: dimension(utmOf),
  };
}

function segmentRates(groups: readonly SegmentGroup[], valueOf: (group: SegmentGroup) => string, average: number, minSample: number): SegmentRate[] {
  const counts = new Map<string, { sessions: number; conversions: number }>();
  for (const group of groups) {
    const value = valueOf(group);
    let count = counts.get(value);
    if (!count) counts.set(value, (count = { sessions: 0, conversions: 0 }));
    count.sessions += group.sessions;
    count.conversions += group.conversions;
  }
  const sorted = [...counts].sort((a, b) => b[1].sessions - a[1].sessions || a[0].localeCompare(b[0]));
  const kept = sorted.slice(0, MAX_SEGMENTS_PER_DIMENSION);
  const rest = sorted.slice(MAX_SEGMENTS_PER_DIMENSION);
  if (rest.length) {
    kept.push([OTHER_SEGMENT, rest.reduce((sum, [, count]) => ({ sessions: sum.sessions + count.sessions, conversions: sum.conversions + count.conversions }), { sessions: 0, conversions: 0 })]);
  }
  return kept.map(([value, { sessions: n, conversions: x }]) => {
    const { low, high } = wilsonInterval(x, n);
    const rate = n ? x / n : null;
    const worse = n >= minSample && rate !== null && rate <= average * (1 - SEGMENT_WORSE_MARGIN) && high < average;
    return { value, sessions: n, conversions: x, rate, low, high, worse };
  });
}
