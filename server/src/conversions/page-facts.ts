// What impact and funnels keep of one page load, read from its signals: the URLs it showed, its tracked events, and its traffic source; pure.
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { PageSignal } from '../analysis/page-signals';

/** Tracked events kept per page load: a page that calls track() in a loop must not fill the table. */
export const MAX_TRACKED_EVENTS_PER_PAGE = 200;

export interface PageFacts {
  /** Each URL (origin and path) the load showed, at its first view. */
  visits: Array<{ url: string; ts: number }>;
  tracked: Array<{ name: string; ts: number }>;
  /** The load's traffic source, when the page has its load view. */
  source: { ts: number; referrerHost: string; utmSource: string } | null;
}

/** `signals` sorted by time; `pageUrl` stands in for a page without view signals. */
export function pageFacts(signals: readonly PageSignal[], pageUrl: string): PageFacts {
  const visits = new Map<string, number>();
  const tracked: PageFacts['tracked'] = [];
  let source: PageFacts['source'] = null;
  for (const signal of signals) {
    if (signal.k === 'view') {
      const url = normalizePageUrl(signal.url);
      if (!visits.has(url)) visits.set(url, signal.t);
      if (signal.trigger === 'load' && !source) source = { ts: signal.t, referrerHost: referrerHost(signal.referrer ?? '', signal.url), utmSource: utmSource(signal.url) };
    } else if (signal.k === 'track' && tracked.length < MAX_TRACKED_EVENTS_PER_PAGE) {
      tracked.push({ name: signal.name, ts: signal.t });
    }
  }
  if (visits.size === 0 && signals.length) visits.set(normalizePageUrl(pageUrl), signals[0]!.t);
  return { visits: [...visits].map(([url, ts]) => ({ url, ts })), tracked, source };
}

/** The referrer's host, lower case without "www."; '' for none and for the page's own host (a visit that began on the site itself). */
export function referrerHost(referrer: string, pageUrl: string): string {
  const host = hostOf(referrer);
  return host && host !== hostOf(pageUrl) ? host : '';
}

/** utm_source of a URL's query string, trimmed and lower case; '' when absent. */
export function utmSource(url: string): string {
  try {
    return (new URL(url).searchParams.get('utm_source') ?? '').trim().toLowerCase().slice(0, 100);
  } catch {
    return '';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}
