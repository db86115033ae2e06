// Pure mapping between the URL hash and the viewer's pages.

export type Route =
  | { name: 'sessions' }
  | { name: 'session'; id: string }
  | { name: 'sites' }
  | { name: 'not-found'; hash: string };

const SESSION_PATH = /^\/sessions\/([^/]+)\/?$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { name: 'sessions' };
  if (path === '/sites' || path === '/sites/') return { name: 'sites' };
  const session = SESSION_PATH.exec(path);
  if (session) return { name: 'session', id: safeDecode(session[1]!) };
  return { name: 'not-found', hash };
}

export function routeHref(route: Exclude<Route, { name: 'not-found' }>): string {
  switch (route.name) {
    case 'sessions':
      return '#/';
    case 'sites':
      return '#/sites';
    case 'session':
      return `#/sessions/${encodeURIComponent(route.id)}`;
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
