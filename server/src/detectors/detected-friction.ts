// What a detector returns: a friction flag without the page it was found on, which the analysis pass adds.
import type { FrictionFlag } from '../api-types';
import type { PageSignal } from '../analysis/page-signals';

/** A flag as a detector finds it; the analysis pass adds pageId, and url when the detector leaves it empty. */
export type DetectedFriction = FrictionFlag extends infer F ? (F extends FrictionFlag ? Omit<F, 'pageId'> : never) : never;

export interface DetectorInput {
  /** The page load's signals, in time order (ties keep recording order). */
  signals: readonly PageSignal[];
  /**
   * The page load is over: its final batch arrived (with all batches before it), or the session
   * went idle past SESSION_IDLE_TIMEOUT_MS. Detectors that judge the whole page wait for it.
   */
  complete: boolean;
  /** The page's URL when it loaded, for flags raised before any page view signal. */
  url: string;
}

/** A detector: pure, no I/O, thresholds from detector-thresholds.ts. */
export type Detector = (input: DetectorInput) => DetectedFriction[];
