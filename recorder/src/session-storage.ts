// Opens the tab's sessionStorage, or an in-memory stand-in where the page may not use it.
import type { SessionStorageLike } from './session-store';

/**
 * Reading `window.sessionStorage` throws a SecurityError in sandboxed frames and when the user
 * blocks site data; the stand-in keeps the session for this page load only.
 */
export function openSessionStorage(win: Pick<Window, 'sessionStorage'>): SessionStorageLike {
  try {
    const storage = win.sessionStorage;
    if (storage) return storage;
  } catch {
    // Fall through to memory.
  }
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}
