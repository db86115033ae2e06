// Wires one page's recorder from its configuration; the script tag (index.ts) and the module (module.ts) both start here.
import { isAncestorRecording } from './ancestor-recording';
import { OWN_CONSOLE_PREFIX } from './capture/observe-console';
import { createBatchSender, type BatchSender } from './batch-sender';
import { CONSENT_STORAGE_KEY, initialConsent } from './consent/consent-state';
import { createId } from './create-id';
import { createGzip } from './gzip';
import { createPublicApi, type FrictionlensApi } from './public-api';
import type { RecorderConfig } from './recorder-config';
import { createRecorder } from './recorder';
import { createRecordingEngine } from './recording-engine';
import { openSessionStorage } from './session-storage';
import { createSessionStore, type SessionStore } from './session-store';

/** Every key frictionlens writes to sessionStorage and localStorage starts with this. */
export const STORAGE_KEY_PREFIX = 'frictionlens.';

/** The recorder speaks to the site's developers through the console, prefixed so capture skips it. */
export function warnOnConsole(message: string, detail?: unknown): void {
  if (detail === undefined) console.warn(`${OWN_CONSOLE_PREFIX} ${message}`);
  else console.warn(`${OWN_CONSOLE_PREFIX} ${message}`, detail);
}

/** A page may call the API before the async script has loaded, through a stub that queues [name, args]. */
interface QueueStub {
  q?: Array<[string, Iterable<unknown>]>;
}

/**
 * Installs window.frictionlens and returns it; returns an API already installed as it is, and
 * null where this page must not record: no usable configuration, no fetch or crypto, or a frame
 * whose parent page records it already. Calls queued on a stub are replayed in order.
 */
export function installFrictionlens(win: Window, readConfig: () => RecorderConfig | null): FrictionlensApi | null {
  const stub = win.frictionlens as QueueStub | undefined;
  if (stub && !stub.q) return win.frictionlens!;
  const config = readConfig();
  if (!config || isAncestorRecording(win) || typeof win.fetch !== 'function' || !win.crypto) return null;
  const api = (win.frictionlens = startFrictionlens(win, config));
  const methods = api as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [name, args] of (stub && stub.q) || []) if (methods[name]) methods[name](...args);
  return api;
}

/**
 * Nothing is created before recording may start: with consent pending there is no session id in
 * storage and no sender (whose retries could persist or send). GPC is read once, at page start.
 */
export function startFrictionlens(win: Window, config: RecorderConfig): FrictionlensApi {
  const storage = openSessionStorage(win);
  const now = () => Date.now();
  const newId = () => createId(win.crypto);
  const engine = createRecordingEngine(config.maskAllText, win);
  const gpc = (win.navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true;
  let sender: BatchSender | undefined;
  let current: SessionStore | undefined;

  return createPublicApi({
    endpoint: config.endpoint,
    consent: initialConsent(storage.getItem(CONSENT_STORAGE_KEY), config.consentRequired === true, gpc && config.respectGpc !== false),
    addCustomEvent: engine.addCustomEvent,
    // Taken when the session began, just before rrweb's first event: a link may open a few ms late.
    sessionStartedAt: () => current && current.startedAt,
    now,
    record() {
      const store = (current = createSessionStore({ storage, now, createId: newId, sampleRate: config.sampleRate }));
      // The sender outlives a stop() and start(): it asks for the session recorded now.
      sender ??= createBatchSender({
        ...config,
        fetch: win.fetch.bind(win),
        gzip: createGzip(globalThis),
        win,
        session: () => current!,
        onRefused: () => current!.refuse(),
      });
      return createRecorder({
        win,
        engine,
        store,
        sender,
        now,
        createId: newId,
        endpoint: config.endpoint,
        maskAllText: config.maskAllText,
        onFault: (error) => warnOnConsole('recording stopped after an internal error:', error),
      });
    },
    saveConsent(granted) {
      try {
        storage.setItem(CONSENT_STORAGE_KEY, granted ? '1' : '0');
        // A refusal wipes everything else frictionlens keeps in this browser: the session's id (a
        // later grant starts a new session) and the batches delivery queued for a retry, in any
        // tab (its queue skips a batch whose key is gone). The in-memory stand-in has no keys.
        if (!granted)
          for (const kept of [storage, win.localStorage] as Storage[])
            for (const key of Object.keys(kept)) if (key.startsWith(STORAGE_KEY_PREFIX) && key !== CONSENT_STORAGE_KEY) kept.removeItem(key);
      } catch {
        // Storage blocked or full: the decision holds for this page only.
      }
    },
  });
}
