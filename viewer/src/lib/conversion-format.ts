// Words and numbers of the conversion views: rates, differences, goal and step descriptions.
import type { FunnelStep, Goal, GoalInput, Opportunity } from './contract';

/** "20.0%", or "–" without sessions. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/** A difference of rates in percentage points: "+30.0 pts". */
export function formatPoints(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} pts`;
}

/** "9.0 (2.2 to 14.4)". */
export function formatEstimate({ estimate, low, high }: { estimate: number; low: number; high: number }): string {
  return `${estimate.toFixed(1)} (${low.toFixed(1)} to ${high.toFixed(1)})`;
}

export function describeGoal(goal: GoalInput | Goal): string {
  if (goal.kind === 'page') return `Page reached: ${goal.pattern}`;
  if (goal.kind === 'event') return `Tracked event: ${goal.event}`;
  return `Form ${goal.selector} sent on ${goal.pattern}`;
}

export function describeStep(step: FunnelStep): string {
  return step.kind === 'page' ? step.pattern : `event ${step.event}`;
}

const FRICTION_NAMES: Record<Opportunity['type'], string> = {
  rage_click: 'Rage clicks',
  dead_click: 'Dead clicks',
  form_abandonment: 'Form abandonment',
  error_loop: 'Error loop',
};

export const frictionName = (type: Opportunity['type']): string => FRICTION_NAMES[type];

/** "Form abandonment of #checkout-form at #postcode (Postcode)", "Dead clicks on #photo". */
export function describeOpportunity(o: Opportunity): string {
  const label = o.label ? ` (${o.label})` : '';
  if (o.type === 'form_abandonment') return `${FRICTION_NAMES[o.type]} of ${o.target ?? 'a form'}${o.field ? ` at ${o.field}` : ''}${label}`;
  if (o.type === 'error_loop') return `${FRICTION_NAMES[o.type]} on ${o.target ?? 'the page'}${label}`;
  return `${FRICTION_NAMES[o.type]} on ${o.target ?? 'the page'}${label}`;
}

/** The page's path (or pattern) without the origin. */
export function pagePath(page: string): string {
  const match = /^[a-z]+:\/\/[^/]+(\/.*)$/i.exec(page);
  return match ? match[1]! : page;
}
