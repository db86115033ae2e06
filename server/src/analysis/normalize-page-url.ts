// A page's URL as friction and heatmaps group it: scheme, host and path, without query string or fragment.

/** Unparseable input is kept as it is, minus anything after '?' or '#'. */
export function normalizePageUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/, 1)[0]!;
  }
}
