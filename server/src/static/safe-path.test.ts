import { describe, expect, it } from 'vitest';
import { resolveInside } from './safe-path';

describe('resolveInside', () => {
  it('maps plain and encoded names inside the root', () => {
    expect(resolveInside('/srv/site', 'assets/app.js')).toBe('/srv/site/assets/app.js');
    expect(resolveInside('/srv/site', 'my%20page.html')).toBe('/srv/site/my page.html');
    expect(resolveInside('/srv/site/', '')).toBe('/srv/site');
  });

  it.each(['../etc/passwd', '%2e%2e/etc/passwd', '..%2fetc%2fpasswd', 'a/..%5c..%5cb', '.env', 'a%00.html', '%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveInside('/srv/site', path)).toBeUndefined();
  });
});
