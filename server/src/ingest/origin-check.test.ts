import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin-check';

describe('isOriginAllowed', () => {
  const shop = ['https://shop.example'];

  it('allows listed origins and refuses others', () => {
    expect(isOriginAllowed('https://shop.example', shop, 'fl.example')).toBe(true);
    expect(isOriginAllowed('https://evil.example', shop, 'fl.example')).toBe(false);
    expect(isOriginAllowed('http://shop.example', shop, 'fl.example')).toBe(false);
  });

  it('allows requests without an Origin header', () => {
    expect(isOriginAllowed(undefined, shop, 'fl.example')).toBe(true);
  });

  it('matches "self" against the Host header, port included', () => {
    expect(isOriginAllowed('http://localhost:8787', ['self'], 'localhost:8787')).toBe(true);
    expect(isOriginAllowed('http://localhost:3000', ['self'], 'localhost:8787')).toBe(false);
    expect(isOriginAllowed('http://localhost:8787', shop, 'localhost:8787')).toBe(false);
    expect(isOriginAllowed('http://localhost:8787', ['self'], undefined)).toBe(false);
  });

  it('refuses the opaque origin "null" unless it is listed', () => {
    expect(isOriginAllowed('null', ['self'], 'null')).toBe(false);
    expect(isOriginAllowed('null', ['null'], 'fl.example')).toBe(true);
  });
});
