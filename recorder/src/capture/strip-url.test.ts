import { describe, expect, it } from 'vitest';
import { pageUrl, stripStack, stripUrl } from './strip-url';

describe('stripUrl', () => {
  it('resolves against the base and drops query string and fragment', () => {
    expect(stripUrl('/api/cart?session=abc#top', 'https://shop.test/checkout?step=2')).toBe('https://shop.test/api/cart');
    expect(stripUrl('https://cdn.test/app.js?v=3')).toBe('https://cdn.test/app.js');
  });

  it('strips what it cannot resolve as it is', () => {
    expect(stripUrl('not a url?token=1')).toBe('not a url');
  });
});

describe('pageUrl', () => {
  it('keeps a hash-router route but not its query, nor other fragments', () => {
    expect(pageUrl('https://app.test/?utm=x#/cart/2?coupon=FREE')).toBe('https://app.test/#/cart/2');
    expect(pageUrl('https://app.test/docs#!/intro')).toBe('https://app.test/docs#!/intro');
    expect(pageUrl('https://app.test/docs#section-2')).toBe('https://app.test/docs');
    expect(pageUrl('https://app.test/login#access_token=secret&a=/b')).toBe('https://app.test/login');
  });
});

describe('stripStack', () => {
  it('drops query strings from frame URLs and truncates', () => {
    const stack = 'Error: boom\n    at pay (https://shop.test/app.js?token=abc:10:5)\n    at https://shop.test/x.js?v=1&t=2:3:4';
    expect(stripStack(stack, 1000)).toBe('Error: boom\n    at pay (https://shop.test/app.js:10:5)\n    at https://shop.test/x.js:3:4');
    expect(stripStack(stack, 11)).toBe('Error: boom');
  });
});
