// Ranks sessions by how much their visitor struggled: one number from the session's friction counts.
import type { FrictionType } from '../api-types';

/**
 * Weight of a type's first flag. An error loop or a rage burst shows a visitor stuck or angry; an
 * abandoned form is a lost conversion; a dead click is often mild confusion.
 */
export const FRUSTRATION_WEIGHTS: Record<FrictionType, number> = {
  error_loop: 4,
  rage_click: 3,
  form_abandonment: 3,
  dead_click: 1,
};

/**
 * Sum over types of weight × (1 + log2(count)) for each type present: every kind of friction
 * counts fully once, and repeats add less and less, so ten dead clicks (4.3) do not outrank one
 * error loop plus one rage burst (7). Rounded to one decimal for display; 0 without friction.
 */
export function frustrationScore(counts: Record<FrictionType, number>): number {
  let score = 0;
  for (const type of Object.keys(FRUSTRATION_WEIGHTS) as FrictionType[]) {
    const count = counts[type];
    if (count > 0) score += FRUSTRATION_WEIGHTS[type] * (1 + Math.log2(count));
  }
  return Math.round(score * 10) / 10;
}
