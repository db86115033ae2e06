// The sign-in cookie: its name, its flags, and whether the request that sets it came over HTTPS.
import type { Context } from 'hono';

export const SESSION_COOKIE_NAME = 'frictionlens_session';
/** Only the API reads it; static files and the demo never receive it. */
export const SESSION_COOKIE_PATH = '/api';

/**
 * HTTPS when the connection to us is TLS, or, with trustProxy, when the proxy in front says the
 * visitor's was (its X-Forwarded-Proto; the last entry is the proxy's own, as for X-Forwarded-For).
 */
export function isHttpsRequest(c: Context, trustProxy: boolean): boolean {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase();
    if (forwarded) return forwarded === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

/**
 * HttpOnly: page scripts never see it. SameSite=Strict: no other site's page makes the browser send
 * it. Secure over HTTPS (a Secure cookie set over plain HTTP would be dropped, so http://localhost
 * keeps working).
 */
export function sessionCookie(id: string, maxAgeMs: number, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  return `${SESSION_COOKIE_NAME}=${id}; Max-Age=${maxAge}; Path=${SESSION_COOKIE_PATH}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** The session id from a Cookie header; undefined when absent. */
export function readSessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE_NAME) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
