// Whether a browser request that changes something was made by a page of this server (the CSRF check for cookie sign-in).
import type { Context } from 'hono';

/** Requests that may change something; GET and HEAD only read. */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host the browser addressed: X-Forwarded-Host from the trusted proxy, else Host. */
function requestHost(c: Context, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? c.req.header('x-forwarded-host')?.split(',').at(-1)?.trim() : undefined;
  return forwarded || c.req.header('host');
}

function sameHost(a: string, b: string): boolean {
  try {
    // Through URL so that default ports and letter case compare equal.
    return new URL(`http://${a}`).host === new URL(`http://${b}`).host;
  } catch {
    return false;
  }
}

/**
 * Browsers send Origin with every POST, PUT, PATCH and DELETE, and a page's script cannot change it.
 * It must name this server's host (an http: page may not act on an https: server). A proxy that
 * rewrites Host is covered by Sec-Fetch-Site, which browsers also set themselves: "same-origin" is
 * then enough. "same-site" is refused: a sibling subdomain's page is not ours, although the
 * SameSite=Strict cookie goes with its requests.
 */
export function isSameOriginRequest(c: Context, { https, trustProxy }: { https: boolean; trustProxy: boolean }): boolean {
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && (https || parsed.protocol !== 'http:')) return false;
  if (fetchSite === 'same-origin') return true;
  const host = requestHost(c, trustProxy);
  return host !== undefined && sameHost(parsed.host, host);
}
