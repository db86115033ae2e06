// The contract for analyses that need a page's friction: called by the pass after it judges a page, inside the transaction that stores the judgement.
import type { PageJudgement } from './judge-page';
import type { PageSignal } from './page-signals';

export interface JudgedPageRef {
  siteId: string;
  sessionId: string;
  pageId: string;
  /** The page load's URL. */
  url: string;
}

/**
 * A page is judged again after each of its batches, when its session goes idle and by `npm run
 * redetect`, so a hook must replace what it stored for the page before. A hook that throws has its
 * own writes rolled back and is logged; the judgement and the other hooks are kept. Every repository
 * call is awaited: the hook's writes must be done when it resolves, inside the pass's transaction.
 */
export interface PageHook {
  readonly name: string;
  /** `signals` are the page's, in recording order. */
  afterJudgement(page: JudgedPageRef, judgement: PageJudgement, signals: readonly PageSignal[]): Promise<void>;
}
