// Pure mapping between the URL hash and the viewer's pages.

export type Route =
  | { name: 'sessions' }
  /** atMs: where the player opens, from `?t=<ms>` (the recorder's getReplayUrl() links). */
  | { name: 'session'; id: string; atMs?: number }
  | { name: 'sites' }
  | { name: 'not-found'; hash: string };

const SESSION_PATH = /^\/sessions\/([^/?]+)\/?(?:\?(.*))?$/;
/** Milliseconds from the start of the replay: whole, non-negative numbers only. */
const OFFSET_PARAM = /^\d+$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { name: 'sessions' };
  if (path === '/sites' || path === '/sites/') return { name: 'sites' };
  const session = SESSION_PATH.exec(path);
  if (session) {
    const id = safeDecode(session[1]!);
    const t = new URLSearchParams(session[2] ?? '').get('t') ?? '';
    return OFFSET_PARAM.test(t) ? { name: 'session', id, atMs: Number(t) } : { name: 'session', id };
  }
  return { name: 'not-found', hash };
}

export function routeHref(route: Exclude<Route, { name: 'not-found' }>): string {
  switch (route.name) {
    case 'sessions':
      return '#/';
    case 'sites':
      return '#/sites';
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}${route.atMs === undefined ? '' : `?t=${route.atMs}`}`;
  }
}

/** The server prints a sign-in link ending in `#token=…`; returns that token or null. */
export function tokenFromHash(hash: string): string | null {
  const match = /^#token=(.+)$/.exec(hash);
  return match ? safeDecode(match[1]!).trim() || null : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
