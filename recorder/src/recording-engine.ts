// Runs rrweb's recorder with frictionlens's privacy and sampling settings, pausing it through mutation storms.
import { record } from '@rrweb/record';
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { createCustomEvent } from './custom-event';
import { privacyOptions } from './privacy/privacy-options';
import { STORM_WINDOW_MS, createStormDetector } from './storm-detector';
import { CUSTOM_EVENT_TAGS, type CustomEventPayloads, type CustomEventTag } from './wire/format';

/**
 * A replay opened at a moment deep into one long page load must otherwise fast-forward every
 * change since the page's only snapshot (a link at 59:00 of a 60-minute page: 5-6x slower to its
 * first frame than a 1-minute session, npm run bench:replay). rrweb checks the time at each
 * incremental event and takes a checkout (Meta + FullSnapshot) once this long has passed since
 * the last snapshot; the server keeps each batch's snapshot time, so the viewer starts from the
 * last one before the moment. 5 minutes as New Relic's browser agent does; Sentry's replay SDK
 * takes none in session mode unless an experimental option asks for one every 6 minutes or more.
 */
export const CHECKOUT_EVERY_MS = 5 * 60_000;

/** What the recorder needs from rrweb, so it can be driven by a fake in tests. */
export interface RecordingEngine {
  /** Starts recording this document; returns the stop handle. Throws if rrweb cannot start. */
  start(emit: (event: eventWithTime) => void, onError: (error: unknown) => void): () => void;
  /** Emits a fresh Meta + FullSnapshot into the running recording. */
  takeFullSnapshot(): void;
}

export interface FrictionlensEngine extends RecordingEngine {
  /** Emits one of our custom events into the running recording (also while paused by a storm); dropped when stopped. */
  addCustomEvent<T extends CustomEventTag>(tag: T, payload: CustomEventPayloads[T]): void;
}

/**
 * - Masking and blocking: see privacy/privacy-options.ts. Typed values (emails, card numbers)
 *   never leave the page; a conversion team needs to see where people typed and struggled, not what.
 * - inlineStylesheet: replays look right even when the site's CSS is private or gone.
 * - sampling: mouse positions every 50 ms (rrweb's default, smooth enough for a cursor trail);
 *   scroll at most every 150 ms; only an input's final value, not every keystroke.
 * - slimDOMOptions: drop scripts, comments and head meta noise, which the replay never shows.
 * - checkoutEveryNms: a fresh full snapshot every CHECKOUT_EVERY_MS (see there).
 */
export const RECORD_OPTIONS = {
  inlineStylesheet: true,
  sampling: { mousemove: 50, scroll: 150, media: 800, input: 'last' },
  slimDOMOptions: true,
  recordCanvas: false,
  collectFonts: false,
  inlineImages: false,
  checkoutEveryNms: CHECKOUT_EVERY_MS,
} as const;

/** What the engine watches while paused: every kind of change, as rrweb's own observer does. */
const WATCH_ALL = { childList: true, subtree: true, attributes: true, characterData: true };

/**
 * Through a mutation storm (storm-detector.ts) rrweb is stopped, a bare MutationObserver only
 * counts, and a calm page is recorded again from a fresh full snapshot: rrweb serializing
 * thousands of nodes a second would take the page's main thread, and the replay of such a storm
 * is noise anyway. Each start() gets its own detector; callbacks outside rrweb report errors
 * through onError, like rrweb's own.
 */
export function createRecordingEngine(maskAllText = false, win: Window = window): FrictionlensEngine {
  const options = { ...RECORD_OPTIONS, ...privacyOptions(maskAllText), sampling: { ...RECORD_OPTIONS.sampling } };
  let emitTo: ((event: eventWithTime) => void) | null = null;
  let stopRrweb: (() => void) | undefined;

  function addCustomEvent<T extends CustomEventTag>(tag: T, payload: CustomEventPayloads[T]): void {
    if (emitTo) emitTo(createCustomEvent(tag, payload, Date.now()));
  }

  return {
    start(emit, onError) {
      const storm = createStormDetector();
      let watcher: MutationObserver | undefined;
      let timer: number | undefined;
      const safely =
        <A extends unknown[]>(fn: (...args: A) => void) =>
        (...args: A) => {
          try {
            fn(...args);
          } catch (error) {
            onError(error);
          }
        };

      function run(): void {
        stopRrweb = record({
          ...options,
          emit(event) {
            emit(event);
            if (event.type !== EventType.IncrementalSnapshot || event.data.source !== IncrementalSource.Mutation) return;
            const { adds, removes, texts, attributes } = event.data;
            if (storm.add(adds.length + removes.length + texts.length + attributes.length, event.timestamp)) pause();
          },
          // rrweb wraps its own observers with this; returning true keeps the error out of the page.
          errorHandler: (error) => {
            onError(error);
            return true;
          },
        });
        // rrweb catches its own start-up failures and returns undefined instead of throwing.
        if (!stopRrweb) throw new Error('rrweb failed to start recording');
      }

      function halt(): void {
        if (stopRrweb) stopRrweb();
        stopRrweb = undefined;
        if (watcher) watcher.disconnect();
        win.clearInterval(timer);
      }

      function pause(): void {
        addCustomEvent(CUSTOM_EVENT_TAGS.storm, { action: 'paused', mutations: storm.inWindow });
        halt();
        watcher = new MutationObserver(
          safely((records: MutationRecord[]) => {
            // Nodes, as rrweb counts them: one record may add or remove thousands.
            let mutations = 0;
            for (const record of records) mutations += record.addedNodes.length + record.removedNodes.length || 1;
            storm.add(mutations, Date.now());
          }),
        );
        watcher.observe(win.document, WATCH_ALL);
        timer = win.setInterval(
          safely(() => {
            if (!storm.calm(Date.now())) return;
            halt();
            run();
            addCustomEvent(CUSTOM_EVENT_TAGS.storm, { action: 'resumed', mutations: storm.skipped });
          }),
          STORM_WINDOW_MS,
        );
      }

      emitTo = emit;
      run();
      return () => {
        if (emitTo === emit) emitTo = null;
        halt();
      };
    },
    takeFullSnapshot() {
      // Paused by a storm: the resume takes one anyway.
      if (stopRrweb) record.takeFullSnapshot(true);
    },
    addCustomEvent,
  };
}
