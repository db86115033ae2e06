import { describe, expect, it } from 'vitest';
import { normalizePageUrl } from './normalize-page-url';

describe('normalizePageUrl', () => {
  it('drops query string and fragment, keeps origin and path', () => {
    expect(normalizePageUrl('https://shop.example/product/42?utm_source=mail#reviews')).toBe('https://shop.example/product/42');
    expect(normalizePageUrl('http://127.0.0.1:8787/demo/')).toBe('http://127.0.0.1:8787/demo/');
  });

  it('keeps what it cannot parse, cut at ? or #', () => {
    expect(normalizePageUrl('not a url?x=1')).toBe('not a url');
  });
});
