// Keeps the tab's recording session in sessionStorage: resumed across page loads, renewed after idling, source of seq.
import { ID_PATTERN, SESSION_IDLE_TIMEOUT_MS } from './wire/format';

export const SESSION_STORAGE_KEY = 'frictionlens.session';

/** Activity is persisted at most this often: sampled mousemove still fires several times a second. */
export const ACTIVITY_WRITE_INTERVAL_MS = 1000;

export interface SessionState {
  id: string;
  /** The seq the next batch of this session gets. */
  nextSeq: number;
  lastActivityAt: number;
}

export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export interface SessionStoreOptions {
  storage: SessionStorageLike;
  now: () => number;
  createId: () => string;
}

export interface SessionStore {
  /** Id of the session this page records into. */
  readonly sessionId: string;
  /**
   * A back/forward-cache restore: like the page start the factory performs, resumes the tab's
   * session unless it idled out. Counts as activity.
   */
  resume(): SessionState;
  /** Records user activity; false when the session had already idled out, and the caller should renew(). */
  touch(): boolean;
  /** Starts a fresh session at seq 0. */
  renew(): SessionState;
  /** Hands out the next seq of the current session. */
  takeSeq(): number;
}

/**
 * Storage is re-read on every call rather than cached: another page of the same tab (a page
 * restored from the back/forward cache, a same-origin frame) may have taken seqs meanwhile,
 * and a seq handed out twice would make the server drop the second batch as a retry.
 * The in-memory copy is the floor, so a site calling sessionStorage.clear() cannot make seq go back.
 */
export function createSessionStore({ storage, now, createId }: SessionStoreOptions): SessionStore {
  let local = resumeFrom(null);

  function fresh(): SessionState {
    return { id: createId(), nextSeq: 0, lastActivityAt: now() };
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
        id: local.id,
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
    if (stored && !isIdle(stored, at)) {
      const floor = stored.id === previous?.id ? previous.nextSeq : 0;
      return persist({ id: stored.id, nextSeq: Math.max(stored.nextSeq, floor), lastActivityAt: at });
    }
    return persist(fresh());
  }

  return {
    get sessionId() {
      return local.id;
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
    takeSeq() {
      const state = current();
      local = persist({ ...state, nextSeq: state.nextSeq + 1 });
      return state.nextSeq;
    },
  };
}

function parseSessionState(value: unknown): SessionState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, nextSeq, lastActivityAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) return null;
  if (typeof nextSeq !== 'number' || !Number.isSafeInteger(nextSeq) || nextSeq < 0) return null;
  if (typeof lastActivityAt !== 'number' || !Number.isFinite(lastActivityAt)) return null;
  return { id, nextSeq, lastActivityAt };
}
