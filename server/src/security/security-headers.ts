// Security headers: the viewer's Content-Security-Policy and framing rules, and the headers every response carries.
import type { MiddlewareHandler } from 'hono';

/**
 * The viewer runs only its own bundle (Vite writes no inline script). Replays rebuild recorded pages
 * in frames of the viewer's own origin (about:blank, sandboxed without scripts), which inherit this
 * policy: so the recorded page's inline styles and style attributes ('unsafe-inline' in style-src),
 * the stylesheets rrweb could not inline, and the images, fonts and media it names, from wherever the
 * recorded site keeps them, must be allowed. Nothing else may load, post or frame.
 */
export const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline' https: http:",
  'img-src * data: blob:',
  'font-src * data:',
  'media-src * data: blob:',
  "connect-src 'self'",
  "frame-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** An API answer opened as a page runs and loads nothing, and no page may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Headers of the viewer's HTML and assets. */
export const VIEWER_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': VIEWER_CSP,
  // Older browsers ignore frame-ancestors: a signed-in viewer must not be framed by any page.
  'X-Frame-Options': 'DENY',
  // Replays fetch recorded sites' images and stylesheets: they must not learn the viewer's address (nor its #/sessions/… route).
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), clipboard-read=()',
};

/**
 * Every answer: nosniff (a recorded string served as text/plain or JSON is never guessed to be HTML
 * or script). API answers: nothing runs, nothing frames them, no Referer. A route's own value wins.
 * The demo shop and the recorder bundles get nosniff only: they are "the customer's site" and
 * are loaded by other sites.
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    if (!headers.has('X-Content-Type-Options')) headers.set('X-Content-Type-Options', 'nosniff');
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
      if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', API_CSP);
      if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer');
    }
  };
}
