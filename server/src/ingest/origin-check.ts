// Decides whether a browser origin may post to a site, given the site's allowed origins.

/** The entry in a site's origins that stands for this server's own origin. */
export const SELF_ORIGIN = 'self';

/**
 * `origin` is the request's Origin header; `host` its Host header. A request without Origin is
 * not from a browser page (curl, a server-side relay) and the site key alone decides; browsers
 * always send Origin on cross-origin POSTs, which is the case this check exists for. The opaque
 * origin "null" (sandboxed iframes, file: pages) matches only when listed literally.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[], host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  if (!allowed.includes(SELF_ORIGIN) || !host || origin === 'null') return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
