// Keeps a judged page's form outcomes (started, submitted through, abandoned and where) for the abandoned-forms view.
import type { PageHook } from '../analysis/page-hook';
import type { FormOutcomesRepo } from '../repos/form-outcomes-repo';
import type { MaybeAsync } from '../repos/maybe-async';
import { formOutcomes } from './form-outcomes';

/** Runs after every judgement of the page, so a submit whose answer came in a later batch, or an abandonment flagged once the page is complete, replaces what was stored. */
export function createFormOutcomesPageHook(outcomes: MaybeAsync<FormOutcomesRepo>): PageHook {
  return {
    name: 'forms',
    async afterJudgement(page, judgement, unsorted) {
      const ref = { siteId: page.siteId, sessionId: page.sessionId, pageId: page.pageId };
      // Most page loads have no submit and no abandonment: nothing to sort or store, only the old rows to clear.
      const relevant = judgement.flags.some((flag) => flag.type === 'form_abandonment') || unsorted.some((signal) => signal.k === 'form');
      if (!relevant) return void (await outcomes.replaceForPage(ref, []));
      const signals = unsorted.slice().sort((a, b) => a.t - b.t);
      await outcomes.replaceForPage(ref, formOutcomes(signals, judgement.flags, page.url));
    },
  };
}
