// Whether a URL a recording carries may become a link in the viewer: only http(s) pages may.

/**
 * The URL when it is an absolute http or https URL, else null, so a recorded `javascript:`, `data:`
 * or `file:` URL is shown as text and never made a link (an href runs `javascript:` when clicked).
 * Parsed as the browser would, so whitespace, control characters or letter case cannot sneak a
 * scheme past the check.
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
}
