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

// ---- error_loop (error-loop.ts) ----
/** The same error this many times… */
export const ERROR_LOOP_MIN_REPEATS = 3;
/** …within this long. */
export const ERROR_LOOP_WINDOW_MS = 60_000;
/** The same action followed by the same error or failed request this many times. */
export const ACTION_ERROR_MIN_REPEATS = 2;
