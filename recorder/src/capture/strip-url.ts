// Turns URLs into what we may store: absolute, and never a query string (which carries tokens, emails, search terms).

/** Absolute URL without query string or fragment; `base` resolves relative URLs. */
export function stripUrl(url: string, base?: string): string {
  try {
    url = new URL(url, base).href;
  } catch {
    // Not a URL we can resolve: strip it as it is.
  }
  return url.split(/[?#]/)[0]!;
}

/**
 * A page's URL as stored in page views: stripUrl plus a hash-router route ('#/cart', '#!/cart',
 * cut at its own '?'). Other fragments are in-page anchors, or tokens (OAuth puts them there).
 */
export function pageUrl(href: string): string {
  return stripUrl(href) + ((/^[^#]*(#!?\/[^?]*)/.exec(href) || [])[1] || '');
}

/** Stack frames name script URLs; their query strings ("app.js?token=…:10:5") go too. */
export function stripStack(stack: string, maxChars: number): string {
  return stack.replace(/\?[^\s()]*?(?=:\d+:\d+)/g, '').slice(0, maxChars);
}
