// When, if ever, one page load completed a goal: pure, from the page's signals in time order.
import type { PageSignal, ViewSignal } from '../analysis/page-signals';
import type { GoalDefinition } from '../api-types';
import { FORM_ABANDONMENT_DEFAULTS } from '../detectors/detector-thresholds';
import { originOf, submitOutcome } from '../detectors/submit-outcome';
import { viewUrlAt } from '../heatmaps/page-placement';
import { matchesPattern, splitPageUrl } from '../heatmaps/url-pattern';

/** Whether a URL's path matches a goal or funnel path pattern; query string and fragment are ignored. */
export function urlMatches(pattern: string, url: string): boolean {
  return matchesPattern(pattern, splitPageUrl(url.split(/[?#]/, 1)[0]!).pathname);
}

/**
 * The time of the page's first completion of the goal, or null. `signals` are sorted by time;
 * `pageUrl` is the load's URL, used when the page has no view signal.
 * - page: a page view whose path matches the pattern.
 * - event: a frictionlens.track call with exactly that name.
 * - form: a submit of the form (its recorded selector, exactly) on a page view matching the
 *   pattern that went through, as the form abandonment detector judges submits: no field invalid,
 *   no failed request of the site's own, then the page left, the route changed, or the page
 *   answered. A submit whose page has not said yet is not a completion until it has.
 */
export function goalCompletionTs(goal: GoalDefinition, signals: readonly PageSignal[], pageUrl: string): number | null {
  switch (goal.kind) {
    case 'page': {
      const views = signals.filter((signal): signal is ViewSignal => signal.k === 'view');
      if (views.length === 0) return signals.length && urlMatches(goal.pattern, pageUrl) ? signals[0]!.t : null;
      return views.find((view) => urlMatches(goal.pattern, view.url))?.t ?? null;
    }
    case 'event':
      return signals.find((signal) => signal.k === 'track' && signal.name === goal.event)?.t ?? null;
    case 'form': {
      const views = signals.filter((signal): signal is ViewSignal => signal.k === 'view');
      const origin = originOf(pageUrl);
      for (let i = 0; i < signals.length; i++) {
        const signal = signals[i]!;
        if (signal.k !== 'form' || signal.action !== 'submit' || signal.form !== goal.selector) continue;
        if (!urlMatches(goal.pattern, viewUrlAt(views, signal.t, pageUrl))) continue;
        const scope = { form: signal.form, invalidFields: signal.invalidFields, origin, windowMs: FORM_ABANDONMENT_DEFAULTS.submitAnswerWindowMs };
        if (submitOutcome(signals, i, scope) === 'through') return signal.t;
      }
      return null;
    }
  }
}

/**
 * Text that a page's stored signal JSON must contain for the page to complete the goal: a goal job
 * parses only the pages that have it. A page goal needs the longest literal part of its pattern in
 * a URL (JSON leaves the characters patterns allow unescaped); an event goal, the name as JSON; a
 * form goal, the selector as JSON and a submit.
 */
export function goalNeedles(goal: GoalDefinition): string[] {
  switch (goal.kind) {
    case 'page':
      return [longestLiteral(goal.pattern)];
    case 'event':
      return [JSON.stringify(goal.event)];
    case 'form':
      return [JSON.stringify(goal.selector), '"action":"submit"'];
  }
}

const longestLiteral = (pattern: string) => pattern.split('*').reduce((longest, part) => (part.length > longest.length ? part : longest), '');
