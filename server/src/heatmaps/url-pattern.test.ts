import { describe, expect, it } from 'vitest';
import { resolveHeatmapPage } from './resolve-heatmap-page';
import { heatmapPageKey, matchesPattern } from './url-pattern';

describe('URL patterns', () => {
  it('* stands for one path segment, ** for several, a trailing slash is the same page', () => {
    expect(matchesPattern('/product/*', '/product/mug')).toBe(true);
    expect(matchesPattern('/product/*', '/product/mug/')).toBe(true);
    expect(matchesPattern('/product/*', '/product/mug/reviews')).toBe(false);
    expect(matchesPattern('/docs/**', '/docs/a/b/c')).toBe(true);
    expect(matchesPattern('/p-*.html', '/p-12.html')).toBe(true);
    expect(matchesPattern('/product/*', '/products/mug')).toBe(false);
  });

  it('keys a page by its origin and the first pattern it matches, else by itself', () => {
    expect(heatmapPageKey('https://shop.example/product/mug', ['/cart', '/product/*'])).toBe('https://shop.example/product/*');
    expect(heatmapPageKey('https://shop.example/cart', ['/product/*'])).toBe('https://shop.example/cart');
  });

  it('resolves a page URL, with query and fragment, or the pattern itself, to every recorded page it merges', () => {
    const known = [
      { id: 1, path: 'https://shop.example/product/mug' },
      { id: 2, path: 'https://shop.example/product/lamp' },
      { id: 3, path: 'https://other.example/product/mug' },
      { id: 4, path: 'https://shop.example/cart' },
    ];
    expect(resolveHeatmapPage('https://shop.example/product/mug?ref=ad#top', ['/product/*'], known)).toEqual({ url: 'https://shop.example/product/*', pattern: true, pageRefs: [1, 2] });
    expect(resolveHeatmapPage('https://shop.example/product/*', ['/product/*'], known).pageRefs).toEqual([1, 2]);
    expect(resolveHeatmapPage('https://shop.example/product/mug', [], known)).toEqual({ url: 'https://shop.example/product/mug', pattern: false, pageRefs: [1] });
  });
});
