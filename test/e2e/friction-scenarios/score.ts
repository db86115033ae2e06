// Scores the flags of labelled visits: true and false positives and misses per detector, precision and recall, as a table.
import { FRICTION_TYPES, type FrictionFlag, type FrictionType } from '../../../server/src/api-types';
import type { Scenario } from './scenario';

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

export interface VisitScore {
  scenario: string;
  byType: Record<FrictionType, Tally>;
}

/**
 * Per type, each expected flag is matched to at most one flag found whose selector contains the
 * expected selector: matched ones are true positives, expected ones left over are misses, flags
 * left over are false positives. So a flag on the wrong element is both a miss and a false positive.
 */
export function scoreVisit(scenario: Pick<Scenario, 'name' | 'expect'>, flags: readonly FrictionFlag[]): VisitScore {
  const byType = {} as Record<FrictionType, Tally>;
  for (const type of FRICTION_TYPES) {
    const left = flags.filter((flag) => flag.type === type);
    let tp = 0;
    for (const selector of scenario.expect[type] ?? []) {
      const match = left.findIndex((flag) => (flag.selector ?? '').includes(selector));
      if (match < 0) continue;
      left.splice(match, 1);
      tp++;
    }
    byType[type] = { tp, fp: left.length, fn: (scenario.expect[type]?.length ?? 0) - tp };
  }
  return { scenario: scenario.name, byType };
}

export interface DetectorScore extends Tally {
  type: FrictionType;
  /** Visits expecting at least one flag of the type, and visits expecting none. */
  positives: number;
  negatives: number;
  /** 1 when nothing was flagged (no false positive is possible), and 1 when nothing was expected. */
  precision: number;
  recall: number;
}

export function scoreDetectors(visits: readonly VisitScore[], scenarios: readonly Pick<Scenario, 'expect'>[]): DetectorScore[] {
  return FRICTION_TYPES.map((type) => {
    const sum: Tally = { tp: 0, fp: 0, fn: 0 };
    for (const visit of visits) for (const key of ['tp', 'fp', 'fn'] as const) sum[key] += visit.byType[type][key];
    const positives = scenarios.filter((scenario) => scenario.expect[type]?.length).length;
    return {
      type,
      ...sum,
      positives,
      negatives: scenarios.length - positives,
      precision: sum.tp + sum.fp ? sum.tp / (sum.tp + sum.fp) : 1,
      recall: sum.tp + sum.fn ? sum.tp / (sum.tp + sum.fn) : 1,
    };
  });
}

export function formatScores(scores: readonly DetectorScore[], visits: number): string {
  const rows = scores.map((s) =>
    [s.type.padEnd(17), String(s.positives).padStart(9), String(s.tp).padStart(4), String(s.fp).padStart(4), String(s.fn).padStart(4), s.precision.toFixed(2).padStart(9), s.recall.toFixed(2).padStart(6)].join(' '),
  );
  return [`friction detectors on ${visits} labelled visits in Chromium`, 'detector          positives   TP   FP   FN precision recall', ...rows].join('\n');
}
