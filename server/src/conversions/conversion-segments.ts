// Conversion rate by device class, browser and traffic source, marking segments that convert much worse than the site; pure.
import type { ImpactReport, SegmentRate } from '../api-types';
import type { ReportSession } from '../repos/conversion-queries-repo';
import { MAX_SEGMENTS_PER_DIMENSION, MIN_SAMPLE_SESSIONS, SEGMENT_WORSE_MARGIN } from './conversion-thresholds';
import { utmSource } from './page-facts';
import { wilsonInterval } from './wilson-interval';

export const OTHER_SEGMENT = '(other)';

/** The traffic source values: a referrer's host, '(direct)' without one, '(unknown)' for sessions analysed before referrers were kept. */
const referrerOf = (session: ReportSession) => (!session.hasSource ? '(unknown)' : session.referrerHost || '(direct)');
const utmOf = (session: ReportSession) => (session.utmSource ?? utmSource(session.entryUrl)) || '(none)';

export function conversionSegments(sessions: readonly ReportSession[], minSample = MIN_SAMPLE_SESSIONS): ImpactReport['segments'] {
  const converted = sessions.filter((session) => session.converted).length;
  const average = sessions.length ? converted / sessions.length : 0;
  const dimension = (valueOf: (session: ReportSession) => string) => segmentRates(sessions, valueOf, average, minSample);
  return {
    device: dimension((session) => session.device || 'unknown'),
    browser: dimension((session) => session.browser || 'Unknown'),
    referrer: dimension(referrerOf),
    utmSource: dimension(utmOf),
  };
}

function segmentRates(sessions: readonly ReportSession[], valueOf: (session: ReportSession) => string, average: number, minSample: number): SegmentRate[] {
  const counts = new Map<string, { sessions: number; conversions: number }>();
  for (const session of sessions) {
    const value = valueOf(session);
    let count = counts.get(value);
    if (!count) counts.set(value, (count = { sessions: 0, conversions: 0 }));
    count.sessions++;
    if (session.converted) count.conversions++;
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
