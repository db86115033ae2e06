// Runs the detectors over one page load's signals and says whether the page is complete: pure given the page's stored state.
import type { FrictionFlag } from '../api-types';
import { DETECTORS, detectFriction } from '../detectors/detect-friction';
import type { PageAnalysisState } from '../repos/page-signals-repo';
import { judgementReach, type JudgementReach } from './judgement-reach';
import type { PageSignal, ViewSignal } from './page-signals';

export interface PageJudgement {
  flags: FrictionFlag[];
  complete: boolean;
  errorCount: number;
  userId: string | null;
  failures: ReturnType<typeof detectFriction>['failures'];
  /** How far the signals judged reach (judgement-reach.ts). */
  reach: JudgementReach;
}

/**
 * Complete: judged complete before (a late batch does not reopen a page), or its final batch is
 * analysed with no gap in the page's seqs before it (keepalive pieces can arrive out of order), or
 * the session went idle (`idle`).
 */
export function isPageComplete(state: PageAnalysisState, idle: boolean): boolean {
  if (idle || state.completedAt !== null) return true;
  const { finalSeq, minSeq, maxSeq, batches } = state;
  return finalSeq !== null && minSeq !== null && maxSeq === finalSeq && batches === finalSeq - minSeq + 1;
}

export function judgePage(pageId: string, state: PageAnalysisState, unsorted: PageSignal[], idle: boolean, detectors = DETECTORS): PageJudgement {
  // Batches are in seq order and events in emission order; a stable sort by time fixes the rare overlap.
  // Most pages need none, and the copy and sort cost more than some detectors.
  const signals = inTimeOrder(unsorted) ? unsorted : unsorted.slice().sort((a, b) => a.t - b.t);
  const complete = isPageComplete(state, idle);
  const { flags, failures } = detectFriction({ signals, complete, url: state.url }, detectors);
  const views = signals.filter((signal): signal is ViewSignal => signal.k === 'view');
  let errorCount = 0;
  let userId: string | null = null;
  for (const signal of signals) {
    if (signal.k === 'error') errorCount++;
    else if (signal.k === 'identify') userId = signal.userId;
  }
  return {
    flags: flags.map((flag) => ({ ...flag, pageId, url: flag.url || urlAt(views, flag.ts) || state.url }) as FrictionFlag),
    complete,
    errorCount,
    userId,
    failures,
    reach: judgementReach(signals),
  };
}

function inTimeOrder(signals: readonly PageSignal[]): boolean {
  for (let i = 1; i < signals.length; i++) if (signals[i]!.t < signals[i - 1]!.t) return false;
  return true;
}

/** The URL of the last page view at or before `ts`. */
function urlAt(views: readonly ViewSignal[], ts: number): string | undefined {
  let url: string | undefined;
  for (const view of views) {
    if (view.t > ts) break;
    url = view.url;
  }
  return url ?? views[0]?.url;
}
