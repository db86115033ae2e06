// /api/auth/session: the viewer signs in with the admin token once and holds a cookie session; GET says whether it still does; DELETE signs out.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthSession, SignedOut } from '../api-types';
import { parseBody, readJson } from '../api/parse-input';
import { ApiError } from '../errors/api-error';
import type { AdminAuthenticator } from './admin-auth';
import type { AdminSessions } from './admin-sessions';
import { tokenDigest, tokensMatch } from './bearer-auth';
import { isSameOriginRequest } from './same-origin';
import { clearedSessionCookie, isHttpsRequest, readSessionCookie, sessionCookie } from './session-cookie';

export interface AuthRouteDeps {
  adminToken: string;
  sessions: AdminSessions;
  auth: AdminAuthenticator;
  trustProxy: boolean;
}

/** Far above any token (the generated one is 43 characters); the body limit stops anything larger first. */
const MAX_TOKEN_LENGTH = 1024;
const signInInput = z.object({ token: z.string().trim().min(1).max(MAX_TOKEN_LENGTH) });

export function createAuthRoute({ adminToken, sessions, auth, trustProxy }: AuthRouteDeps): Hono {
  const expected = tokenDigest(adminToken);
  const app = new Hono();

  app.post('/session', async (c) => {
    const https = isHttpsRequest(c, trustProxy);
    // A browser's sign-in comes from the viewer's page; scripts send no Origin and are let through.
    if (c.req.header('origin') !== undefined && !isSameOriginRequest(c, { https, trustProxy })) {
      throw new ApiError(403, 'origin_not_allowed', 'Sign in from the viewer of this server');
    }
    const { token } = parseBody(signInInput, await readJson(c.req));
    if (!tokensMatch(expected, token)) throw new ApiError(401, 'unauthorized', 'Invalid admin token');
    const session = await sessions.start();
    c.header('Set-Cookie', sessionCookie(session.id, sessions.idleMs, https));
    c.header('Cache-Control', 'no-store');
    return c.json({ signedIn: true, via: 'cookie', expiresAt: session.expiresAt } satisfies AuthSession, 201);
  });

  app.get('/session', async (c) => {
    const who = await auth.authenticate(c);
    if (!who) {
      if (readSessionCookie(c.req.header('cookie')) !== undefined) c.header('Set-Cookie', clearedSessionCookie(isHttpsRequest(c, trustProxy)));
      throw new ApiError(401, 'unauthorized', 'Not signed in');
    }
    if (who.via === 'cookie' && who.refreshed) c.header('Set-Cookie', sessionCookie(who.sessionId, sessions.idleMs, isHttpsRequest(c, trustProxy)));
    c.header('Cache-Control', 'no-store');
    return c.json({ signedIn: true, via: who.via, expiresAt: who.via === 'cookie' ? who.expiresAt : null } satisfies AuthSession);
  });

  // Signing out ends the session on the server: the cookie's id is then worth nothing, wherever a copy went.
  app.delete('/session', async (c) => {
    const https = isHttpsRequest(c, trustProxy);
    const id = readSessionCookie(c.req.header('cookie'));
    if (id !== undefined) {
      if (!isSameOriginRequest(c, { https, trustProxy })) throw new ApiError(403, 'origin_not_allowed', 'Sign out from the viewer of this server');
      await sessions.end(id);
    }
    c.header('Set-Cookie', clearedSessionCookie(https));
    return c.json({ signedIn: false } satisfies SignedOut);
  });

  return app;
}
