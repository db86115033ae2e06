// Starts every capture observer on the page: what is recorded besides the DOM, as frictionlens custom events.
import type { eventWithTime } from '@rrweb/types';
import { createCustomEvent } from '../custom-event';
import { hiddenTextSelector } from '../privacy/privacy-options';
import { listen, teardownAll, type Capture, type PageWindow, type Teardown, type Wrap } from './listen';
import { observeClickEffects } from './observe-click-effects';
import { observeClicks } from './observe-clicks';
import { observeConsole } from './observe-console';
import { observeErrors } from './observe-errors';
import { observeForms } from './observe-forms';
import { observeNetwork } from './observe-network';
import { observePageViews } from './observe-page-views';

/**
 * `push` takes each event into the recording (the recorder's onEvent, under its guard); `wrap`
 * guards every callback. Start it before the recorder's lifecycle listeners: pagehide listeners
 * run in the order they were added, and what ends a page view must precede the final flush.
 * `endpoint` is where the recorder posts; requests there are its own, never reported.
 * `maskAllText`: data-mask-text="all", no page text in our events either.
 */
export function startCapture(win: PageWindow, push: (event: eventWithTime) => void, wrap: Wrap, endpoint?: string, maskAllText?: boolean): Teardown {
  // A bare EventTarget standing in for a window (the recorder's unit tests) has nothing to observe.
  if (!win.document.documentElement) return () => {};
  const capture: Capture = {
    win,
    emit: (tag, payload) => push(createCustomEvent(tag, payload, Date.now())),
    wrap,
    hiddenText: hiddenTextSelector(maskAllText),
    on: (type, listener, bubble) => listen(win, type, wrap(listener), bubble),
  };
  return teardownAll([
    // Forms first: a submit's queued field reads drain on pagehide before the page view ends.
    observeForms(capture),
    observePageViews(capture),
    observeErrors(capture),
    observeConsole(capture),
    observeNetwork(capture, endpoint),
    observeClicks(capture),
    observeClickEffects(capture),
  ]);
}
