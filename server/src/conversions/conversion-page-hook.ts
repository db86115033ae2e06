// Keeps a judged page's conversion facts: its goal completions, visited URLs, tracked events and traffic source.
import type { PageHook } from '../analysis/page-hook';
import type { ConversionRepos } from '../repos/conversion-repos';
import type { MaybeAsync } from '../repos/maybe-async';
import { goalCompletionTs } from './goal-completion';
import { pageFacts } from './page-facts';

/**
 * Runs after every judgement of the page (each batch, the page's end, redetect), so a form submit
 * whose answer came in a later batch is judged again once it has. Every goal of the site is
 * computed here with its current definition; goal jobs do the same for pages stored before.
 */
export function createConversionPageHook({ goals, completions, facts }: MaybeAsync<ConversionRepos>): PageHook {
  return {
    name: 'conversions',
    async afterJudgement(page, _judgement, unsorted) {
      const signals = unsorted.slice().sort((a, b) => a.t - b.t);
      await facts.replaceForPage(page.sessionId, page.pageId, pageFacts(signals, page.url));
      const completed: Array<{ goalId: string; ts: number }> = [];
      for (const goal of await goals.listBySite(page.siteId)) {
        const ts = goalCompletionTs(goal.definition, signals, page.url);
        if (ts !== null) completed.push({ goalId: goal.id, ts });
      }
      await completions.replaceForPage(page.sessionId, page.pageId, completed);
    },
  };
}
