// Keeps the tab's recording session in sessionStorage: resumed across page loads, renewed after idling, source of seq.
import { ID_PATTERN, SESSION_IDLE_TIMEOUT_MS } from './wire/format';

export const SESSION_STORAGE_KEY = 'frictionlens.session';
/** Non-empty while a page of the tab records; its pagehide empties it. */
export const SESSION_LIVE_KEY = 'frictionlens.live';

/** Activity is persisted at most this often: sampled mousemove still fires several times a second. */
export const ACTIVITY_WRITE_INTERVAL_MS = 1000;

export interface SessionState {
  id: string;
  /** The seq the next batch of this session gets. */
  nextSeq: number;
  lastActivityAt: number;
  /** When the session began; the minimum session length counts from here. */
  startedAt: number;
  /** Drawn once per session against the sample rate: an unsampled session records and sends nothing. */
  sampled: boolean;
}

export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export interface SessionStoreOptions {
  storage: SessionStorageLike;
  now: () => number;
  createId: () => string;
  /** Share of sessions recorded, 0..1 (data-sample-rate); 1 when absent. */
  sampleRate?: number;
  random?: () => number;
}

export interface SessionStore {
  /** Id of the session this page records into. */
  readonly sessionId: string;
  readonly startedAt: number;
  readonly sampled: boolean;
  /**
   * A back/forward-cache restore: like the page start the factory performs, resumes the tab's
   * session unless it idled out. Counts as activity.
   */
  resume(): SessionState;
  /** Records user activity; false when the session had already idled out, and the caller should renew(). */
  touch(): boolean;
  /** Starts a fresh session at seq 0. */
  renew(): SessionState;
  /** The server refused the session for good (a cap): it records nothing more, on any page load, until it idles out. */
  refuse(): void;
  /** Hands out the next seq of the current session. */
  takeSeq(): number;
  /** The page stops recording or goes away (pagehide): the next page load of the tab may resume the session. */
  leave(): void;
}

/**
 * Storage is re-read on every call rather than cached: another page of the same tab (a page
 * restored from the back/forward cache, a same-origin frame) may have taken seqs meanwhile,
 * and a seq handed out twice would make the server drop the second batch as a retry.
 * The in-memory copy is the floor, so a site calling sessionStorage.clear() cannot make seq go back.
 *
 * Chrome's "Duplicate tab" (and window.open of a same-origin page) copies sessionStorage, so the
 * copy would continue the session at the same seq and the server would drop one tab's batches as
 * retries. A page marks the tab live while it records and clears the mark on pagehide, which fires
 * before the next page of the same tab starts; a page that starts and finds the mark set is a
 * copy made while another page was recording, and starts its own session. A crashed tab leaves
 * the mark set too: its next page load then starts a new session, which loses nothing.
 */
export function createSessionStore({ storage, now, createId, sampleRate = 1, random = Math.random }: SessionStoreOptions): SessionStore {
  let local = resumeFrom(null);

  function fresh(): SessionState {
    const at = now();
    return { id: createId(), nextSeq: 0, lastActivityAt: at, startedAt: at, sampled: random() < sampleRate };
  }

  /** Sets or clears the tab's live mark; true when it was set already. */
  function markLive(live: boolean): boolean {
    try {
      const was = storage.getItem(SESSION_LIVE_KEY);
      storage.setItem(SESSION_LIVE_KEY, live ? '1' : '');
      return !!was;
    } catch {
      return false; // without storage there is no copy to tell apart either
    }
  }

  function read(): SessionState | null {
    try {
      const raw = storage.getItem(SESSION_STORAGE_KEY);
      return raw === null ? null : parseSessionState(JSON.parse(raw));
    } catch {
      return null;
    }
  }

  function persist(state: SessionState): SessionState {
    try {
      storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(state));
    } catch {
      // Quota or privacy mode: the session then lasts for this page load only.
    }
    return state;
  }

  function current(): SessionState {
    const stored = read();
    if (stored && stored.id === local.id) {
      local = {
        ...local,
        nextSeq: Math.max(stored.nextSeq, local.nextSeq),
        lastActivityAt: Math.max(stored.lastActivityAt, local.lastActivityAt),
      };
    }
    return local;
  }

  function isIdle(state: SessionState, at: number): boolean {
    return at - state.lastActivityAt >= SESSION_IDLE_TIMEOUT_MS;
  }

  /** `previous` is this page's own state when a back/forward-cache restore resumes it. */
  function resumeFrom(previous: SessionState | null): SessionState {
    const at = now();
    const stored = read();
    const copied = markLive(true) && !previous;
    if (stored && !copied && !isIdle(stored, at)) {
      const floor = stored.id === previous?.id ? previous.nextSeq : 0;
      return persist({ ...stored, nextSeq: Math.max(stored.nextSeq, floor), lastActivityAt: at });
    }
    return persist(fresh());
  }

  return {
    get sessionId() {
      return local.id;
    },
    get startedAt() {
      return local.startedAt;
    },
    get sampled() {
      return local.sampled;
    },
    resume() {
      local = resumeFrom(local);
      return { ...local };
    },
    touch() {
      const state = current();
      const at = now();
      if (isIdle(state, at)) return false;
      if (at - state.lastActivityAt >= ACTIVITY_WRITE_INTERVAL_MS) local = persist({ ...state, lastActivityAt: at });
      return true;
    },
    renew() {
      local = persist(fresh());
      return { ...local };
    },
    refuse() {
      local = persist({ ...current(), sampled: false });
    },
    takeSeq() {
      const state = current();
      local = persist({ ...state, nextSeq: state.nextSeq + 1 });
      return state.nextSeq;
    },
    leave: () => void markLive(false),
  };
}

function parseSessionState(value: unknown): SessionState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, nextSeq, lastActivityAt, startedAt, sampled } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return null;
  if (typeof nextSeq !== 'number' || !Number.isSafeInteger(nextSeq) || nextSeq < 0) return null;
  if (typeof lastActivityAt !== 'number' || !Number.isFinite(lastActivityAt)) return null;
  // Sessions stored before sampling and minimum length existed count as sampled and long enough.
  return { id, nextSeq, lastActivityAt, startedAt: Number(startedAt) || 0, sampled: sampled !== false };
}
