// Guards the admin API: the admin token as a Bearer credential (scripts), or the viewer's sign-in cookie with a same-origin check.
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors/api-error';
import type { AdminSessions } from './admin-sessions';
import { bearerToken, tokenDigest, tokensMatch } from './bearer-auth';
import { isSameOriginRequest, STATE_CHANGING_METHODS } from './same-origin';
import { clearedSessionCookie, isHttpsRequest, readSessionCookie, sessionCookie } from './session-cookie';

export interface AdminAuthDeps {
  adminToken: string;
  sessions: AdminSessions;
  /** X-Forwarded-Proto and X-Forwarded-Host come from one trusted proxy (TRUST_PROXY). */
  trustProxy: boolean;
}

/** How a request was let in: the token itself, or a sign-in session with its expiry. */
export type AdminAuth = { via: 'bearer' } | { via: 'cookie'; sessionId: string; expiresAt: number; refreshed: boolean };

export interface AdminAuthenticator {
  /** Who the request is, or undefined; throws 403 for a cookie request that changes something from another origin. */
  authenticate(c: Context): Promise<AdminAuth | undefined>;
  /** Refuses with 401 anything that is not the admin; sends the cookie again when its expiry moved. */
  middleware: MiddlewareHandler;
}

function unauthorized(c: Context, message: string): ApiError {
  c.header('WWW-Authenticate', 'Bearer realm="frictionlens"');
  return new ApiError(401, 'unauthorized', message);
}

export function createAdminAuth({ adminToken, sessions, trustProxy }: AdminAuthDeps): AdminAuthenticator {
  const expected = tokenDigest(adminToken);

  async function authenticate(c: Context): Promise<AdminAuth | undefined> {
    const header = c.req.header('authorization');
    // A script's header wins over any cookie; a wrong token is refused even when a cookie is valid.
    if (header !== undefined) {
      const token = bearerToken(header);
      return token !== null && tokensMatch(expected, token) ? { via: 'bearer' } : undefined;
    }
    const id = readSessionCookie(c.req.header('cookie'));
    const session = id === undefined ? undefined : await sessions.check(id);
    if (!session) return undefined;
    // Bearer scripts send no Origin; a browser always does, and only the viewer's own pages may act with its cookie.
    if (STATE_CHANGING_METHODS.has(c.req.method) && !isSameOriginRequest(c, { https: isHttpsRequest(c, trustProxy), trustProxy })) {
      throw new ApiError(403, 'origin_not_allowed', 'A signed-in request that changes something must come from a page of this server');
    }
    return { via: 'cookie', sessionId: id!, ...session };
  }

  const middleware: MiddlewareHandler = async function requireAdmin(c, next) {
    const auth = await authenticate(c);
    if (!auth) {
      const header = c.req.header('authorization');
      if (header === undefined && readSessionCookie(c.req.header('cookie')) !== undefined) {
        // An ended session's cookie is of no further use: let the browser forget it.
        c.header('Set-Cookie', clearedSessionCookie(isHttpsRequest(c, trustProxy)));
        throw unauthorized(c, 'Your sign-in session has ended; sign in again');
      }
      if (header === undefined) throw unauthorized(c, 'Sign in, or send the admin token as a Bearer credential');
      throw unauthorized(c, bearerToken(header) === null ? 'Missing Bearer admin token' : 'Invalid admin token');
    }
    await next();
    if (auth.via === 'cookie' && auth.refreshed) {
      c.res.headers.append('Set-Cookie', sessionCookie(auth.sessionId, sessions.idleMs, isHttpsRequest(c, trustProxy)));
    }
  };

  return { authenticate, middleware };
}
