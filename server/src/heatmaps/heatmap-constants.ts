// The heatmaps' fixed figures in one place: device classes, binning, the error-click window.

/** Narrower viewports are phones: the common CSS breakpoint (768 px, an iPad's portrait width, is the first tablet width). */
export const MOBILE_MAX_WIDTH_PX = 767;
/** Narrower viewports, from 768 px, are tablets; 1024 px and up is a desktop layout. */
export const TABLET_MAX_WIDTH_PX = 1023;
/**
 * A click's place inside its target is kept in this many steps per axis (5 %): fine enough under
 * a 20 px heat radius on the boxes people click (buttons, fields, links), coarse enough that a
 * page's cells stay in the thousands however many clicks it has.
 */
export const HEATMAP_FRACTION_BINS = 20;
/** Scroll depth is counted in steps of 1/20 (5 %) of the document's height. */
export const HEATMAP_SCROLL_STEPS = 20;
/**
 * An error click is a click followed by an uncaught error or unhandled rejection on the same page
 * load within this long (Microsoft Clarity's "error clicks": clicks that produce JavaScript errors).
 */
export const ERROR_CLICK_WINDOW_MS = 1000;
/** Fallback x is kept in 1/10000 of the viewport's width: integers, so sums stay exact when rows come and go. */
export const FALLBACK_X_SCALE = 10_000;
export const DAY_MS = 86_400_000;
