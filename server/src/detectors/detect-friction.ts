// Runs every friction detector over one page load; a detector that throws loses its own flags only.
import type { FrictionType } from '../api-types';
import { detectDeadClicks } from './dead-click';
import type { DetectedFriction, Detector, DetectorInput } from './detected-friction';
import { detectErrorLoops } from './error-loop';
import { detectFormAbandonment } from './form-abandonment';
import { detectRageClicks } from './rage-click';

export const DETECTORS: ReadonlyArray<{ type: FrictionType; detect: Detector }> = [
  { type: 'rage_click', detect: (input) => detectRageClicks(input) },
  { type: 'dead_click', detect: (input) => detectDeadClicks(input) },
  { type: 'form_abandonment', detect: (input) => detectFormAbandonment(input) },
  { type: 'error_loop', detect: (input) => detectErrorLoops(input) },
];

export interface DetectionResult {
  flags: DetectedFriction[];
  /** Detectors that threw, with their error; their flags for this page are missing. */
  failures: Array<{ type: FrictionType; error: unknown }>;
}

export function detectFriction(input: DetectorInput, detectors = DETECTORS): DetectionResult {
  const flags: DetectedFriction[] = [];
  const failures: DetectionResult['failures'] = [];
  for (const { type, detect } of detectors) {
    try {
      flags.push(...detect(input));
    } catch (error) {
      failures.push({ type, error });
    }
  }
  flags.sort((a, b) => a.ts - b.ts);
  return { flags, failures };
}
