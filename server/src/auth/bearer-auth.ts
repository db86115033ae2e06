// Guards the query API: requests must carry the admin token as a Bearer credential.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors/api-error';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Comparing SHA-256 digests gives timingSafeEqual the equal-length buffers it needs without
 * revealing the token's length through an early length check.
 */
export function tokensMatch(expectedDigest: Buffer, presented: string): boolean {
  return timingSafeEqual(expectedDigest, digest(presented));
}

export function bearerAuth(adminToken: string): MiddlewareHandler {
  const expected = digest(adminToken);
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match || !tokensMatch(expected, match[1]!)) {
      c.header('WWW-Authenticate', 'Bearer realm="frictionlens"');
      throw new ApiError(401, 'unauthorized', match ? 'Invalid admin token' : 'Missing Bearer admin token');
    }
    await next();
  };
}
