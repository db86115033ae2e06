// Decides when a page mutates too fast to record, and when it has been calm long enough to record again.

/** The mutation rate is counted over windows this long, aligned to multiples of it on the clock. */
export const STORM_WINDOW_MS = 1000;
/**
 * More mutations than this in one window is a busy window. rrweb's own DOM-mutation benchmark
 * (packages/rrweb/test/benchmark/dom-mutation.test.ts) uses bursts of 10,000 nodes as its
 * workloads (1000×10 nodes created, 10,000 attributes modified, 10,000 nodes moved): one such
 * burst is what rrweb is built to keep up with; more than that every second is not.
 */
export const STORM_MUTATIONS_PER_WINDOW = 10_000;
/**
 * A storm is this many busy windows in a row: only a page busy for over four seconds fills five.
 * A single render, however large, falls in one window (one MutationObserver callback, one
 * timestamp), and a burst of renders (a route change, a dashboard filling in, a feed catching up)
 * is over within a few. Pausing on those would cost more than recording them and lose their
 * events: rrweb has serialized them already, and the resume takes a second full snapshot. With
 * three windows, the overhead bench's one-shots run back to back (seven bursts of 5,000 to 25,600
 * mutations 250 ms apart) paused in every run and cost 1.30x bare rrweb's CPU; recorded whole,
 * 0.82x.
 */
export const STORM_SUSTAINED_WINDOWS = 5;
/**
 * While paused, a window with at most this many mutations is calm: a ticking clock, a blinking
 * caret or a carousel stay well under it.
 */
export const CALM_MUTATIONS_PER_WINDOW = 50;
/** Calm time before the first resume; it doubles with each storm, so a page that storms again and again is not re-snapshotted every few seconds. */
export const STORM_CALM_MS = 2000;
export const STORM_MAX_CALM_MS = 60_000;

export interface StormDetector {
  /** Counts n mutations seen at `at` (ms); true when they tip the page into a storm: pause recording. */
  add(n: number, at: number): boolean;
  /** True when a paused page has been calm long enough: resume recording. */
  calm(at: number): boolean;
  /** Mutations in the current window: at a pause, those of the window that tipped it. */
  readonly inWindow: number;
  /** Mutations counted since the last pause. */
  readonly skipped: number;
}

/**
 * Pure: time comes in as arguments. A mutation is a node added or removed, an attribute or a
 * text changed: counted from rrweb's mutation events while recording, from MutationObserver
 * records while paused (there without the descendants of an added subtree: cheaper, and still
 * thousands a second in a storm).
 */
export function createStormDetector(): StormDetector {
  let windowIndex = -Infinity;
  let inWindow = 0;
  /** Busy windows in a row, the current one included once it is busy. */
  let busyWindows = 0;
  let paused = false;
  let busyAt = 0;
  let skipped = 0;
  let calmMs = STORM_CALM_MS / 2;

  return {
    add(n, at) {
      const current = Math.floor(at / STORM_WINDOW_MS);
      if (current !== windowIndex) {
        // A busy streak survives only into the very next window.
        if (current !== windowIndex + 1 || inWindow <= STORM_MUTATIONS_PER_WINDOW) busyWindows = 0;
        windowIndex = current;
        inWindow = 0;
      }
      const wasBusy = inWindow > STORM_MUTATIONS_PER_WINDOW;
      inWindow += n;
      if (paused) {
        skipped += n;
        if (inWindow > CALM_MUTATIONS_PER_WINDOW) busyAt = at;
        return false;
      }
      if (wasBusy || inWindow <= STORM_MUTATIONS_PER_WINDOW) return false;
      if (++busyWindows < STORM_SUSTAINED_WINDOWS) return false;
      paused = true;
      busyAt = at;
      skipped = 0;
      busyWindows = 0;
      calmMs = Math.min(calmMs * 2, STORM_MAX_CALM_MS);
      return true;
    },
    calm(at) {
      if (!paused || at - busyAt < calmMs) return false;
      paused = false;
      windowIndex = -Infinity;
      inWindow = 0;
      return true;
    },
    get inWindow() {
      return inWindow;
    },
    get skipped() {
      return skipped;
    },
  };
}
