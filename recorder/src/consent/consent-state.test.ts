import { describe, expect, it } from 'vitest';
import { initialConsent, nextConsent } from './consent-state';

describe('initialConsent', () => {
  it('records by default, and waits when consent is required', () => {
    expect(initialConsent(null, false, false)).toBe('granted');
    expect(initialConsent(null, true, false)).toBe('pending');
  });

  it('remembers the decision made earlier in the session', () => {
    expect(initialConsent('1', true, false)).toBe('granted');
    expect(initialConsent('0', false, false)).toBe('denied');
    expect(initialConsent('garbage', true, false)).toBe('pending');
  });

  it('never records under Global Privacy Control, even with a remembered grant', () => {
    expect(initialConsent('1', false, true)).toBe('gpc');
  });
});

describe('nextConsent', () => {
  it('follows the page: pending, granted and denied move either way', () => {
    expect(nextConsent('pending', true)).toBe('granted');
    expect(nextConsent('pending', false)).toBe('denied');
    expect(nextConsent('granted', false)).toBe('denied');
    expect(nextConsent('denied', true)).toBe('granted');
  });

  it('stays at gpc whatever the page says', () => {
    expect(nextConsent('gpc', true)).toBe('gpc');
  });
});
