// The admin token as a Bearer credential: reading it from the header and comparing it in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export function tokenDigest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Comparing SHA-256 digests gives timingSafeEqual the equal-length buffers it needs without
 * revealing the token's length through an early length check.
 */
export function tokensMatch(expectedDigest: Buffer, presented: string): boolean {
  return timingSafeEqual(expectedDigest, tokenDigest(presented));
}

/** The credential of an `Authorization: Bearer …` header (any case of the scheme); null for any other header. */
export function bearerToken(header: string): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
