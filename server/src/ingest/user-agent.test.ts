import { describe, expect, it } from 'vitest';
import { parseUserAgent } from './user-agent';

const CHROME_MAC_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('parseUserAgent', () => {
  it('reads desktop Chrome', () => {
    expect(parseUserAgent(CHROME_MAC_UA)).toEqual({ browser: 'Chrome', browserVersion: '131.0.0.0', os: 'Mac OS', device: 'desktop' });
  });

  it('reads a phone', () => {
    expect(parseUserAgent(SAFARI_IPHONE_UA)).toMatchObject({ browser: 'Mobile Safari', os: 'iOS', device: 'mobile' });
  });

  it('answers unknowns for a missing header', () => {
    expect(parseUserAgent(undefined)).toEqual({ browser: null, browserVersion: null, os: null, device: 'desktop' });
  });

  it('returns the same answer from its cache', () => {
    expect(parseUserAgent(CHROME_MAC_UA)).toBe(parseUserAgent(CHROME_MAC_UA));
  });
});
