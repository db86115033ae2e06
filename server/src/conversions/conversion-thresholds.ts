// The named cut-offs of conversion impact: minimum samples, what "converts much worse" means, list sizes.

/**
 * Sessions needed on each side (affected and comparable) before a difference of conversion rates is
 * given as a number. At 30 a side Newcombe's interval for a 50% against 20% rate is about ±0.2 wide:
 * wide, but it can tell a large loss from none; under it the interval spans most of [-1, 1].
 */
export const MIN_SAMPLE_SESSIONS = 30;

/**
 * A segment "converts much worse than the site's average" when it has at least MIN_SAMPLE_SESSIONS
 * sessions, its rate is at most (1 - SEGMENT_WORSE_MARGIN) of the site's, and its Wilson 95%
 * interval lies wholly below the site's rate (not a chance dip).
 */
export const SEGMENT_WORSE_MARGIN = 0.25;
/** Segments listed per dimension, largest first; the rest are merged into "(other)". */
export const MAX_SEGMENTS_PER_DIMENSION = 20;

/** A replay opens this long before the moment it is listed for, to show what led up to it. */
export const REPLAY_LEAD_MS = 3000;
/** Sessions returned by a session list (impact opportunity, funnel figure), latest first. */
export const SESSION_LIST_LIMIT = 100;
/** Opportunities in a ranking: the long tail of one-session targets is not where the losses are. */
export const MAX_OPPORTUNITIES = 200;
