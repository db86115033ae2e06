import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { MAX_TRACKED_EVENTS_PER_PAGE, pageFacts, referrerHost, utmSource } from './page-facts';

const T = 1_700_000_000_000;

describe('pageFacts', () => {
  it('keeps each URL once at its first view, the tracked events, and the load view’s source', () => {
    const signals: PageSignal[] = [
      { k: 'view', t: T, url: 'https://shop.example/?utm_source=Newsletter&x=1', title: '', trigger: 'load', referrer: 'https://www.News.example/a?b' },
      { k: 'track', t: T + 5, name: 'add-to-cart' },
      { k: 'view', t: T + 10, url: 'https://shop.example/cart#top', title: '', trigger: 'push-state' },
      { k: 'view', t: T + 20, url: 'https://shop.example/?page=2', title: '', trigger: 'push-state' },
    ];
    expect(pageFacts(signals, 'https://shop.example/')).toEqual({
      visits: [{ url: 'https://shop.example/', ts: T }, { url: 'https://shop.example/cart', ts: T + 10 }],
      tracked: [{ name: 'add-to-cart', ts: T + 5 }],
      source: { ts: T, referrerHost: 'news.example', utmSource: 'newsletter' },
    });
  });

  it('falls back to the load URL without views, and caps tracked events', () => {
    const tracks = Array.from({ length: MAX_TRACKED_EVENTS_PER_PAGE + 5 }, (_, i): PageSignal => ({ k: 'track', t: T + i, name: 'tick' }));
    const facts = pageFacts(tracks, 'https://shop.example/app?x=1');
    expect(facts.visits).toEqual([{ url: 'https://shop.example/app', ts: T }]);
    expect(facts.tracked).toHaveLength(MAX_TRACKED_EVENTS_PER_PAGE);
    expect(facts.source).toBeNull();
  });
});

describe('traffic source', () => {
  it('names the referrer’s host, nothing for none or the site itself', () => {
    expect(referrerHost('https://www.google.com/', 'https://shop.example/')).toBe('google.com');
    expect(referrerHost('', 'https://shop.example/')).toBe('');
    expect(referrerHost('https://shop.example/cart', 'https://shop.example/')).toBe('');
    expect(referrerHost('not a url', 'https://shop.example/')).toBe('');
  });

  it('reads utm_source from the query string', () => {
    expect(utmSource('https://shop.example/?utm_source=%20Google%20&utm_medium=cpc')).toBe('google');
    expect(utmSource('https://shop.example/')).toBe('');
  });
});
