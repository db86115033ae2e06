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
