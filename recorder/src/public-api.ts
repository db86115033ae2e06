// The `window.frictionlens` object a site can call.
import type { Recorder } from './recorder';

export interface FrictionlensApi {
  /** The session being recorded into, e.g. to attach to a support ticket; null once stopped. */
  getSessionId(): string | null;
  /** Stops recording on this page (the session continues on the next page load). */
  stop(): void;
}

declare global {
  interface Window {
    frictionlens?: FrictionlensApi;
  }
}

/** Calls come from the site's own code, so they must not throw into it either. */
export function createPublicApi(recorder: Recorder): FrictionlensApi {
  return {
    getSessionId() {
      try {
        return recorder.sessionId;
      } catch {
        return null;
      }
    },
    stop() {
      try {
        recorder.stop();
      } catch {
        // The recorder stops itself on faults; nothing to report to the caller.
      }
    },
  };
}
