// Per-site URL patterns: "/product/*" merges the pages that share a template into one heatmap page.

/** A pattern is a path: "*" stands for one path segment (or part of one), "**" for any number of them. */
export const URL_PATTERN_SYNTAX = /^\/[A-Za-z0-9\-._~%!$&'()+,;=:@/*]*$/;
export const MAX_URL_PATTERNS = 50;
export const MAX_URL_PATTERN_LENGTH = 200;

const compiled = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (!regexp) {
    const body = pattern
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regexp = new RegExp(`^${body}/?$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regexp);
  }
  return regexp;
}

export function matchesPattern(pattern: string, pathname: string): boolean {
  return toRegExp(pattern).test(pathname);
}

/** Splits a page key (origin + path, as normalizePageUrl gives it) into its origin and path. */
export function splitPageUrl(url: string): { origin: string; pathname: string } {
  try {
    const parsed = new URL(url);
    return { origin: parsed.origin === 'null' ? '' : parsed.origin, pathname: parsed.pathname };
  } catch {
    return { origin: '', pathname: url };
  }
}

/**
 * The heatmap page a recorded page belongs to: its origin plus the first pattern its path
 * matches, or the page itself. Patterns are tried in the order the site lists them.
 */
export function heatmapPageKey(pageUrl: string, patterns: readonly string[]): string {
  const { origin, pathname } = splitPageUrl(pageUrl);
  const pattern = patterns.find((candidate) => matchesPattern(candidate, pathname));
  return pattern === undefined ? pageUrl : `${origin}${pattern}`;
}
