import { describe, expect, it } from 'vitest';
import { formatBrowser, formatDate, formatDateTime, formatDevice, formatDuration, formatOffset, urlPath } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [400, '0s'],
    [45_000, '45s'],
    [59_499, '59s'],
    [59_500, '1m 00s'],
    [125_000, '2m 05s'],
    [3_599_000, '59m 59s'],
    [3_723_000, '1h 02m'],
    [-5_000, '0s'],
  ])('%i ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatOffset', () => {
  it.each([
    [0, '0:00'],
    [7_900, '0:07'],
    [750_000, '12:30'],
    [3_723_000, '1:02:03'],
  ])('%i ms -> %s', (ms, text) => {
    expect(formatOffset(ms)).toBe(text);
  });
});

describe('formatDateTime', () => {
  const now = Date.UTC(2025, 2, 12, 18, 0);
  const opts = { now, locale: 'en-GB', timeZone: 'UTC' };

  it('says Today and Yesterday', () => {
    expect(formatDateTime(Date.UTC(2025, 2, 12, 14, 5), opts)).toBe('Today, 14:05');
    expect(formatDateTime(Date.UTC(2025, 2, 11, 9, 30), opts)).toBe('Yesterday, 09:30');
  });

  it('leaves out the year only for this year', () => {
    expect(formatDateTime(Date.UTC(2025, 0, 3, 16, 45), opts)).toBe('3 Jan, 16:45');
    expect(formatDateTime(Date.UTC(2024, 11, 31, 23, 59), opts)).toBe('31 Dec 2024, 23:59');
  });

  it('decides the day in the given time zone', () => {
    // 23:30 UTC on the 11th is already the 12th in Berlin.
    const lateUtc = Date.UTC(2025, 2, 11, 23, 30);
    expect(formatDateTime(lateUtc, { ...opts, timeZone: 'Europe/Berlin' })).toBe('Today, 00:30');
    expect(formatDateTime(lateUtc, { ...opts, locale: 'en-US' })).toBe('Yesterday, 11:30 PM');
  });

  it('formats a plain date with the year', () => {
    expect(formatDate(Date.UTC(2025, 2, 3, 12), { locale: 'en-GB', timeZone: 'UTC' })).toBe('3 Mar 2025');
  });
});

describe('urlPath', () => {
  it('keeps path, query and hash', () => {
    expect(urlPath('https://shop.example/cart?step=2#pay')).toBe('/cart?step=2#pay');
  });
  it('returns text that is not a URL unchanged', () => {
    expect(urlPath('not a url')).toBe('not a url');
  });
});

describe('formatBrowser and formatDevice', () => {
  it('shows the major version only', () => {
    expect(formatBrowser('Chrome', '124.0.6367.91')).toBe('Chrome 124');
    expect(formatBrowser('Safari', null)).toBe('Safari');
    expect(formatBrowser(null, '1.0')).toBe('Unknown browser');
  });
  it('capitalises the device type', () => {
    expect(formatDevice('mobile')).toBe('Mobile');
    expect(formatDevice('')).toBe('Unknown');
  });
});
