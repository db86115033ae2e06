// Runs rrweb's recorder with frictionlens's privacy and sampling settings.
import { record } from '@rrweb/record';
import type { eventWithTime } from '@rrweb/types';

/** What the recorder needs from rrweb, so it can be driven by a fake in tests. */
export interface RecordingEngine {
  /** Starts recording this document; returns the stop handle. Throws if rrweb cannot start. */
  start(emit: (event: eventWithTime) => void, onError: (error: unknown) => void): () => void;
  /** Emits a fresh Meta + FullSnapshot into the running recording. */
  takeFullSnapshot(): void;
}

/**
 * - maskAllInputs: typed values (emails, card numbers) never leave the page; a conversion team
 *   needs to see where people typed and struggled, not what they typed.
 * - inlineStylesheet: replays look right even when the site's CSS is private or gone.
 * - sampling: mouse positions every 50 ms (rrweb's default, smooth enough for a cursor trail);
 *   scroll at most every 150 ms; only an input's final value, not every keystroke.
 * - slimDOMOptions: drop scripts, comments and head meta noise, which the replay never shows.
 */
export const RECORD_OPTIONS = {
  maskAllInputs: true,
  inlineStylesheet: true,
  sampling: { mousemove: 50, scroll: 150, media: 800, input: 'last' },
  slimDOMOptions: true,
  recordCanvas: false,
  collectFonts: false,
  inlineImages: false,
} as const;

export function createRecordingEngine(): RecordingEngine {
  return {
    start(emit, onError) {
      const stop = record({
        ...RECORD_OPTIONS,
        sampling: { ...RECORD_OPTIONS.sampling },
        emit: (event) => emit(event),
        // rrweb wraps its own observers with this; returning true keeps the error out of the page.
        errorHandler: (error) => {
          onError(error);
          return true;
        },
      });
      // rrweb catches its own start-up failures and returns undefined instead of throwing.
      if (!stop) throw new Error('rrweb failed to start recording');
      return stop;
    },
    takeFullSnapshot() {
      record.takeFullSnapshot(true);
    },
  };
}
