// The `window.frictionlens` object (and the module's functions): consent, start/stop, identify/track, replay links.
import { nextConsent, type ConsentState } from './consent/consent-state';
import type { Recorder } from './recorder';
import type { FrictionlensEngine } from './recording-engine';
import { PROP_MAX_CHARS, sanitizeProps, type FlatProps } from './sanitize-props';
import { CUSTOM_EVENT_TAGS, type IdentifyPayload } from './wire/format';

export interface FrictionlensApi {
  /** Ties the session to your user id, with flat traits (strings, numbers, booleans, null). */
  identify(userId: string, traits?: FlatProps): void;
  /** Records a named event of your own, with flat props. */
  track(name: string, props?: FlatProps): void;
  /** true grants consent (remembered for the session); anything else withdraws it: stops and drops what is buffered. */
  consent(granted: boolean): void;
  /** Stops recording on this page (the session continues on the next page load). */
  stop(): void;
  /** Starts recording this page again after stop(), as a new recording in the same session. */
  start(): void;
  /** The session being recorded into, e.g. to attach to a support ticket; null while not recording. */
  getSessionId(): string | null;
  /** A link into the viewer that opens this session at this moment; null while not recording. */
  getReplayUrl(): string | null;
}

declare global {
  interface Window {
    frictionlens?: FrictionlensApi;
  }
}

export interface PublicApiDeps {
  /** The viewer's origin, which is the ingest endpoint's. */
  endpoint: string;
  /** Consent at page start. */
  consent: ConsentState;
  /** Starts a new rrweb recording of this page in the tab's session. */
  record(): Recorder;
  addCustomEvent: FrictionlensEngine['addCustomEvent'];
  /** Remembers a decision for the session; a refusal also forgets what the session stored. */
  saveConsent(granted: boolean): void;
  /** When the session being recorded began (0 or undefined: unknown). */
  sessionStartedAt(): number | undefined;
  now(): number;
}

/**
 * Calls come from the site's own code, so none may throw into it. The last identify() is kept
 * and sent again with each new recording: a page that identifies its user at load, before
 * consent arrives, is still identified once recording starts.
 */
export function createPublicApi(deps: PublicApiDeps): FrictionlensApi {
  let consent = deps.consent;
  let recorder: Recorder | null = null;
  let identity: IdentifyPayload | null = null;
  const sessionId = () => (recorder && recorder.sessionId) || null;

  function start(): void {
    if (consent !== 'granted' || recorder) return;
    recorder = deps.record();
    if (identity) deps.addCustomEvent(CUSTOM_EVENT_TAGS.identify, identity);
  }

  function stop(discard?: boolean): void {
    // A recorder that stopped itself after a fault stays, so start() does not bring it back.
    if (recorder) recorder.stop(discard);
    recorder = null;
  }

  const api: FrictionlensApi = {
    identify(userId, traits) {
      if (typeof userId !== 'string' && typeof userId !== 'number') return;
      identity = { userId: String(userId).slice(0, PROP_MAX_CHARS), traits: sanitizeProps(traits) };
      if (sessionId()) deps.addCustomEvent(CUSTOM_EVENT_TAGS.identify, identity);
    },
    track(name, props) {
      if (typeof name !== 'string' || !name || !sessionId()) return;
      deps.addCustomEvent(CUSTOM_EVENT_TAGS.track, { name: name.slice(0, PROP_MAX_CHARS), props: sanitizeProps(props) });
    },
    consent(granted) {
      consent = nextConsent(consent, granted === true);
      if (consent === 'gpc') return;
      if (consent === 'granted') {
        deps.saveConsent(true);
        start();
      } else {
        stop(true);
        deps.saveConsent(false);
      }
    },
    stop: () => stop(),
    start,
    getSessionId: sessionId,
    getReplayUrl() {
      const id = sessionId();
      if (!id) return null;
      const now = deps.now();
      return `${deps.endpoint}/#/sessions/${id}?t=${Math.max(0, now - (deps.sessionStartedAt() || now))}`;
    },
  };
  start();
  return neverThrowing(api);
}

/** Each function returns null instead of throwing. */
function neverThrowing<T extends object>(api: T): T {
  for (const [key, fn] of Object.entries(api)) {
    (api as Record<string, unknown>)[key] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch {
        return null;
      }
    };
  }
  return api;
}
