// Every threshold the friction detectors use, in one place, with its unit and where it comes from.

// ---- rage_click (rage-click.ts) ----
/** Clicks in a burst before it can be rage: 3, as posthog-js, Sentry and Datadog use. */
export const RAGE_CLICK_MIN_CLICKS = 3;
/** Longest gap between consecutive clicks of one burst (posthog-js: 1 s between clicks). */
export const RAGE_CLICK_MAX_GAP_MS = 1000;
/** Largest distance from the burst's first click (posthog-js DEFAULT_THRESHOLD_PX = 30). */
export const RAGE_CLICK_RADIUS_PX = 30;

// ---- dead_click (dead-click.ts) ----
/** How long after a click a response is waited for. A change after 800 ms is a slow answer, not a dead click. */
export const DEAD_CLICK_WINDOW_MS = 2000;

// ---- form_abandonment (form-abandonment.ts) ----
/**
 * A form counts as started once the visitor put a value into this many of its text fields (typed,
 * pasted, autofilled). Focus alone is not a start, as form analytics tools define it (Exatom:
 * "selecting or moving between fields without changing its data is not considered a start"):
 * autofocus and tabbing through would flag visitors who never began.
 */
export const FORM_MIN_FILLED_FIELDS = 1;
/**
 * Fields outside any <form> are grouped per page view; they need more to count, because such a
 * group mixes unrelated inputs (a footer newsletter box, a cart's quantity) and has no submit event.
 */
export const FORMLESS_MIN_FILLED_FIELDS = 2;
/**
 * After a submit, how long the page's answer is looked for: a field turning invalid or a failed
 * request of the site's own means blocked; a DOM change means answered. A navigation after the
 * submit counts whenever it comes, as long as the visitor did nothing in between (a payment step can take long).
 */
export const FORM_SUBMIT_ANSWER_WINDOW_MS = 5000;
/** `invalid` events on one form closer together than this are one blocked submit (the browser fires them all in one task). */
export const FORM_INVALID_BURST_MS = 1000;

export const FORM_ABANDONMENT_DEFAULTS = {
  minFilledFields: FORM_MIN_FILLED_FIELDS,
  minFilledFieldsOutsideForm: FORMLESS_MIN_FILLED_FIELDS,
  submitAnswerWindowMs: FORM_SUBMIT_ANSWER_WINDOW_MS,
  invalidBurstMs: FORM_INVALID_BURST_MS,
};
export type FormAbandonmentOptions = typeof FORM_ABANDONMENT_DEFAULTS;

// ---- error_loop (error-loop.ts) ----
/** The same error this many times… */
export const ERROR_LOOP_MIN_REPEATS = 3;
/** …within this long. */
export const ERROR_LOOP_WINDOW_MS = 60_000;
/** The same action followed by the same error or failed request this many times. */
export const ACTION_ERROR_MIN_REPEATS = 2;
/**
 * An error or failed request follows an action when it comes within this long of it and before
 * the visitor's next action: the slow end of an API call, not a later, unrelated failure.
 */
export const ACTION_ERROR_FOLLOW_MS = 5000;
/** Longest time between two tries of the same action in one loop: time to retype a card number and try again. */
export const ACTION_ERROR_MAX_GAP_MS = 300_000;

export const ERROR_LOOP_DEFAULTS = {
  minRepeats: ERROR_LOOP_MIN_REPEATS,
  windowMs: ERROR_LOOP_WINDOW_MS,
  actionMinRepeats: ACTION_ERROR_MIN_REPEATS,
  followMs: ACTION_ERROR_FOLLOW_MS,
  actionMaxGapMs: ACTION_ERROR_MAX_GAP_MS,
};
export type ErrorLoopOptions = typeof ERROR_LOOP_DEFAULTS;
