// A funnel's steps over a range's sessions: who reached each step in order, who went on, how long it took, and the friction of those who dropped off; pure.
import type { FrictionType, FunnelFrictionRow, FunnelStep, FunnelStepReport, ReplayMoment } from '../api-types';
import type { ReportFriction, ReportSession, ReportTracked, ReportVisit } from '../repos/conversion-queries-repo';
import { urlMatches } from './goal-completion';
import { replayMoment } from './replay-moment';

export interface FunnelInput {
  steps: readonly FunnelStep[];
  sessions: readonly ReportSession[];
  visits: readonly ReportVisit[];
  tracked: readonly ReportTracked[];
  friction: readonly ReportFriction[];
}

/** One session's way through the funnel: the time it reached each step, as far as it got. */
interface Path {
  session: ReportSession;
  times: number[];
}

export type FunnelGroup = 'reached' | 'continued' | 'dropped';

/**
 * Step k is reached at the first hit of step k at or after the time step k-1 was reached (the
 * earliest such hit, so a session is never counted further than it got). A page step's hits are
 * the session's page views whose path matches; an event step's, its track calls of that name.
 */
function paths({ steps, sessions, visits, tracked }: FunnelInput): Path[] {
  const hits = new Map<string, number[][]>();
  const hitsOf = (sessionId: string) => {
    let list = hits.get(sessionId);
    if (!list) hits.set(sessionId, (list = steps.map(() => [])));
    return list;
  };
  steps.forEach((step, index) => {
    if (step.kind === 'page') {
      // A site has far fewer distinct URLs than visits: each is matched once per step.
      const matches = new Map<string, boolean>();
      for (const visit of visits) {
        let match = matches.get(visit.url);
        if (match === undefined) matches.set(visit.url, (match = urlMatches(step.pattern, visit.url)));
        if (match) hitsOf(visit.sessionId)[index]!.push(visit.ts);
      }
    } else {
      for (const event of tracked) if (event.name === step.event) hitsOf(event.sessionId)[index]!.push(event.ts);
    }
  });
  const result: Path[] = [];
  for (const session of sessions) {
    const list = hits.get(session.id);
    if (!list) continue;
    const times: number[] = [];
    let after = -Infinity;
    for (const stepHits of list) {
      let first = Infinity;
      for (const ts of stepHits) if (ts >= after && ts < first) first = ts;
      if (first === Infinity) break;
      times.push(first);
      after = first;
    }
    if (times.length) result.push({ session, times });
  }
  return result;
}

/** The friction types a session hit on step k: from reaching it until reaching the next (or the session's end). */
function typesOnStep(flags: readonly ReportFriction[] | undefined, path: Path, k: number): Map<FrictionType, number> {
  const start = path.times[k]!;
  const end = path.times[k + 1] ?? Infinity;
  const types = new Map<FrictionType, number>();
  for (const flag of flags ?? []) if (flag.ts >= start && flag.ts < end && !types.has(flag.type)) types.set(flag.type, flag.ts);
  return types;
}

function bySession(friction: readonly ReportFriction[]): Map<string, ReportFriction[]> {
  const map = new Map<string, ReportFriction[]>();
  for (const flag of friction) {
    let list = map.get(flag.sessionId);
    if (!list) map.set(flag.sessionId, (list = []));
    list.push(flag);
  }
  return map;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One step's counts: how many reached it and went on, the median time to the next, and per friction type the drop-offs and continuers that hit it on the step. */
export interface FunnelStepCounts {
  reached: number;
  continued: number;
  medianMsToNext: number | null;
  friction: ReadonlyArray<{ type: FrictionType; dropped: number; continued: number }>;
}

export function funnelReport(input: FunnelInput): FunnelStepReport[] {
  const all = paths(input);
  const flags = bySession(input.friction);
  const counts = input.steps.map((_, k): FunnelStepCounts => {
    const reachedPaths = all.filter((path) => path.times.length > k);
    const last = k === input.steps.length - 1;
    const continuers = last ? [] : reachedPaths.filter((path) => path.times.length > k + 1);
    const dropped = last ? [] : reachedPaths.filter((path) => path.times.length === k + 1);
    const types = new Map<FrictionType, { type: FrictionType; dropped: number; continued: number }>();
    const typeCount = (type: FrictionType) => {
      let count = types.get(type);
      if (!count) types.set(type, (count = { type, dropped: 0, continued: 0 }));
      return count;
    };
    for (const path of dropped) for (const type of typesOnStep(flags.get(path.session.id), path, k).keys()) typeCount(type).dropped++;
    for (const path of continuers) for (const type of typesOnStep(flags.get(path.session.id), path, k).keys()) typeCount(type).continued++;
    return {
      reached: reachedPaths.length,
      continued: continuers.length,
      medianMsToNext: last ? null : median(continuers.map((path) => path.times[k + 1]! - path.times[k]!)),
      friction: [...types.values()],
    };
  });
  return funnelStepReports(input.steps, counts);
}

/** The report from each step's counts (see funnelReport); the counts may come from SQL. Only types some drop-off hit are listed. */
export function funnelStepReports(steps: readonly FunnelStep[], counts: readonly FunnelStepCounts[]): FunnelStepReport[] {
  return steps.map((step, k) => {
    const { reached, continued: continuers, medianMsToNext } = counts[k]!;
    const last = k === steps.length - 1;
    const droppedOff = last ? 0 : reached - continuers;
    const friction = counts[k]!.friction
      .filter((row) => !last && row.dropped > 0)
      .map(({ type, dropped: n, continued }): FunnelFrictionRow => {
        const droppedRate = n / droppedOff;
        const continuedRate = continuers ? continued / continuers : 0;
        return { type, dropped: n, droppedRate, continued, continuedRate, lift: continuedRate > 0 ? droppedRate / continuedRate : null };
      });
    friction.sort((a, b) => (b.lift ?? Infinity) - (a.lift ?? Infinity) || b.dropped - a.dropped || a.type.localeCompare(b.type));
    return {
      step,
      reached,
      continued: last ? null : continuers,
      continuedRate: last ? null : reached ? continuers / reached : null,
      medianMsToNext: last ? null : medianMsToNext,
      droppedOff,
      friction,
    };
  });
}

/**
 * The sessions behind one figure of step k, latest first. Each opens at its first flag of
 * `frictionType` on the step when one is asked for (only sessions with one are listed), else at
 * the moment it reached the step (the next step, for those that went on). converted: it reached the
 * funnel's last step.
 */
export function funnelSessions(input: FunnelInput, k: number, group: FunnelGroup, frictionType?: FrictionType): ReplayMoment[] {
  const flags = bySession(input.friction);
  const lastIndex = input.steps.length - 1;
  const moments: ReplayMoment[] = [];
  for (const path of paths(input)) {
    const reached = path.times.length > k;
    const went = reached && k < lastIndex && path.times.length > k + 1;
    const inGroup = group === 'reached' ? reached : group === 'continued' ? went : reached && k < lastIndex && !went;
    if (!inGroup) continue;
    let ts = group === 'continued' ? path.times[k + 1]! : path.times[k]!;
    if (frictionType) {
      const at = typesOnStep(flags.get(path.session.id), path, k).get(frictionType);
      if (at === undefined) continue;
      ts = at;
    }
    moments.push(replayMoment(path.session, ts, path.times.length === input.steps.length));
  }
  return moments.sort((a, b) => b.ts - a.ts || a.sessionId.localeCompare(b.sessionId));
}
