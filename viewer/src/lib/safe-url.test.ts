import { describe, expect, it } from 'vitest';
import { safeHttpUrl } from './safe-url';

describe('safeHttpUrl', () => {
  it.each(['https://shop.example/cart?x=1#top', 'http://localhost:8787/demo/'])('keeps the http(s) page URL %s', (url) => {
    expect(safeHttpUrl(url)).toBe(url);
  });

  it.each([
    'javascript:alert(document.cookie)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '/relative/path',
    '',
    null,
    undefined,
  ])('refuses %j', (url) => {
    expect(safeHttpUrl(url)).toBeNull();
  });
});
