// Every threshold the friction detectors use, in one place, with its unit and where it comes from.

// ---- rage_click (rage-click.ts) ----
/** Clicks in a burst before it can be rage: 3, as posthog-js, Sentry and Datadog use. */
export const RAGE_CLICK_MIN_CLICKS = 3;
/** Longest gap between consecutive clicks of one burst (posthog-js: 1 s between clicks). */
export const RAGE_CLICK_MAX_GAP_MS = 1000;
/** Largest distance from the burst's first click (posthog-js DEFAULT_THRESHOLD_PX = 30). */
export const RAGE_CLICK_RADIUS_PX = 30;
/**
 * How long after a burst's last click its answer is looked for, and how far the data must reach
 * before the burst is judged: the time in which one more click would still have joined it.
 */
export const RAGE_CLICK_SETTLE_MS = 1000;
/**
 * The browser's count (MouseEvent.detail) of a triple click. A burst never counted past it that
 * selected text or focused a field is someone selecting or editing; Chromium keeps counting
 * (4, 5, …) through a real rage burst on one spot, so a count alone cannot tell the two apart.
 */
export const RAGE_CLICK_MAX_SELECTING_COUNT = 3;

export const RAGE_CLICK_DEFAULTS = {
  minClicks: RAGE_CLICK_MIN_CLICKS,
  maxGapMs: RAGE_CLICK_MAX_GAP_MS,
  radiusPx: RAGE_CLICK_RADIUS_PX,
  settleMs: RAGE_CLICK_SETTLE_MS,
  maxSelectingCount: RAGE_CLICK_MAX_SELECTING_COUNT,
};
export type RageClickOptions = typeof RAGE_CLICK_DEFAULTS;

// ---- dead_click (dead-click.ts) ----
/** How long after a click a response is waited for. A change after 800 ms is a slow answer, not a dead click. */
export const DEAD_CLICK_WINDOW_MS = 2000;
// The CLICK_* figures below say what counts as a click's answer; rage_click uses them too.
/**
 * Changes this long before the click event count as its answer: a press starts at pointerdown,
 * and menus, ripples and mousedown handlers answer there (Sentry's replay tests: "mouseDown events
 * are considered"). A typical press lasts 50 to 150 ms.
 */
export const CLICK_PRESS_LEAD_MS = 250;
/**
 * A pointer down at most this long before a click started that click's press, and the press's
 * answer is looked for from there instead of from the lead: a long press still answers at pointerdown.
 */
export const CLICK_HOLD_MAX_MS = 2000;
/**
 * A scroll, a selection change or a focus is also something the visitor does by hand: it answers
 * a click only this soon after it (Sentry replay's slow-click scroll timeout, 300 ms).
 */
export const CLICK_USER_ACTION_MS = 300;
/** How far back before a press the page's background (nodes that change with nobody clicking) is learnt. */
export const CLICK_BACKGROUND_MS = 10_000;
/**
 * A node is background when changes not near any press touched it at least this far apart: a
 * ticking clock, an autoplaying carousel, an animation; a one-off render (a lazy list) is not.
 */
export const CLICK_BACKGROUND_SPAN_MS = 1000;
/**
 * A change on a background node this soon after the click still answers it (a carousel that also
 * autoplays, advanced by its arrow), unless the node was busy just before or the change falls on
 * its regular beat (a clock's tick).
 */
export const CLICK_PROMPT_MS = 100;
/**
 * A background node that changes this often or more (median gap) and changed within this long
 * before the press is busy, an animation running: its changes answer nothing. An autoplay's
 * slide every few seconds is not busy, so its arrow's prompt change still answers.
 */
export const CLICK_BUSY_MS = 500;
/** How far off a regular beat (a clock's 1000 ms) a background change may fall and still be the beat: timer jitter. */
export const CLICK_BEAT_TOLERANCE_MS = 50;
/**
 * A page's own beat (page-beat.ts: an autoplay) may drift by this fraction of its period per beat
 * and still be the beat: timers fire late on a busy device. A 2 s autoplay recorded in Chromium on a
 * loaded machine came 1.85 to 2.1 s apart.
 */
export const CLICK_PAGE_BEAT_JITTER = 0.1;
/**
 * A disabled-press effect (sent at pointerdown) and the click of the same press (aria-disabled
 * controls still get one) are at most this far apart; a natively disabled control gets no click.
 */
export const CLICK_DISABLED_PAIR_MS = 1000;

export const CLICK_ANSWER_DEFAULTS = {
  windowMs: DEAD_CLICK_WINDOW_MS,
  leadMs: CLICK_PRESS_LEAD_MS,
  holdMs: CLICK_HOLD_MAX_MS,
  userActionMs: CLICK_USER_ACTION_MS,
  backgroundMs: CLICK_BACKGROUND_MS,
  backgroundSpanMs: CLICK_BACKGROUND_SPAN_MS,
  promptMs: CLICK_PROMPT_MS,
  busyMs: CLICK_BUSY_MS,
  beatToleranceMs: CLICK_BEAT_TOLERANCE_MS,
  pageBeatJitter: CLICK_PAGE_BEAT_JITTER,
  disabledPairMs: CLICK_DISABLED_PAIR_MS,
};
export type ClickAnswerOptions = typeof CLICK_ANSWER_DEFAULTS;

export const DEAD_CLICK_DEFAULTS = { answers: CLICK_ANSWER_DEFAULTS, rage: RAGE_CLICK_DEFAULTS };
export type DeadClickOptions = typeof DEAD_CLICK_DEFAULTS;

// ---- form_abandonment (form-abandonment.ts) ----
/**
 * A form counts as started once the visitor entered or filled this many of its text fields: put
 * the caret in one themselves (clicked or tapped it or its label, or tabbed on from a field they
 * had begun) or put a value in (typed, pasted, autofilled). The definition: "focused or
 * changed at least one field". A focus nobody made is no start: autofocus at load and a script's
 * focus() would flag every visitor of a page that has them.
 */
export const FORM_MIN_STARTED_FIELDS = 1;
/**
 * A click on a field (or its label) at most this long after the field took focus made that focus:
 * focus comes at pointerdown, the click at release, and a slow press lasts well under a second.
 */
export const FORM_FOCUS_PRESS_MS = 1000;
/** A label's click is dispatched before the focus it gives its field: at most this long before. */
export const FORM_FOCUS_LABEL_LEAD_MS = 250;
/**
 * Tab moves focus in one task: the blur of one field and the focus of the next come within this
 * long of each other (the recorder reads each after its handlers ran), where a script's later focus does not.
 */
export const FORM_FOCUS_TAB_MS = 100;
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
  minStartedFields: FORM_MIN_STARTED_FIELDS,
  focusPressMs: FORM_FOCUS_PRESS_MS,
  focusLabelLeadMs: FORM_FOCUS_LABEL_LEAD_MS,
  focusTabMs: FORM_FOCUS_TAB_MS,
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

// ---- every detector ----
/**
 * How far from a press, a field, a submit, an error or any other signal but a change or a scroll
 * the detectors ever look at changes and scrolls: a click's answer window and the page's
 * background either side of it (CLICK_BACKGROUND_MS), a submit's answer, rage's settle time. All
 * of them reach less than a quarter of this. Changes and scrolls further than this from every
 * other signal of the page cannot change its friction, so a batch of nothing else is not judged
 * again (analysis/judgement-reach.ts). A test holds every window above to this.
 */
export const PASSIVE_SIGNAL_REACH_MS = 60_000;
