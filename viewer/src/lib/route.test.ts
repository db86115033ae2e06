import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, tokenFromHash } from './route';
import { NO_FILTERS } from './session-filters';

describe('parseRoute', () => {
  it.each(['', '#', '#/', '#/?'])('%j is the sessions page without filters', (hash) => {
    expect(parseRoute(hash)).toEqual({ name: 'sessions', filters: NO_FILTERS });
  });

  it('reads the session list\'s site, filters and sort', () => {
    expect(parseRoute('#/?site=s1&friction=rage_click,dead_click&sort=score&url=%2Fcheckout')).toEqual({
      name: 'sessions',
      site: 's1',
      filters: { ...NO_FILTERS, sort: 'score', friction: ['rage_click', 'dead_click'], url: '/checkout' },
    });
  });

  it('reads the overview and its range, 30 days unless a known one is given', () => {
    expect(parseRoute('#/overview')).toEqual({ name: 'overview', days: 30 });
    expect(parseRoute('#/overview/?site=s1&days=7')).toEqual({ name: 'overview', site: 's1', days: 7 });
    expect(parseRoute('#/overview?days=12')).toEqual({ name: 'overview', days: 30 });
  });

  it('reads the sites page', () => {
    expect(parseRoute('#/sites')).toEqual({ name: 'sites' });
    expect(parseRoute('#/sites/')).toEqual({ name: 'sites' });
  });

  it('reads and decodes a session id', () => {
    expect(parseRoute('#/sessions/abc_DEF-123')).toEqual({ name: 'session', id: 'abc_DEF-123' });
    expect(parseRoute('#/sessions/a%20b')).toEqual({ name: 'session', id: 'a b' });
  });

  it('reads the offset a replay link opens at', () => {
    expect(parseRoute('#/sessions/abc123?t=61500')).toEqual({ name: 'session', id: 'abc123', atMs: 61_500 });
    expect(parseRoute('#/sessions/abc123/?x=1&t=0')).toEqual({ name: 'session', id: 'abc123', atMs: 0 });
  });

  it.each(['?t=', '?t=-5', '?t=1.5', '?t=abc', '?time=5', '?'])('ignores a bad offset %j', (query) => {
    expect(parseRoute(`#/sessions/abc123${query}`)).toEqual({ name: 'session', id: 'abc123' });
  });

  it('reads the abandoned-forms view: its period, and a form only with its page; a field only with its form', () => {
    expect(parseRoute('#/forms')).toEqual({ name: 'forms', days: 30 });
    const form = { name: 'forms' as const, site: 's1', days: 7 as const, form: '#checkout-form', url: 'https://shop.example/checkout?x=1&y', field: '#postcode' };
    expect(routeHref(form)).toBe('#/forms?site=s1&days=7&form=%23checkout-form&url=https%3A%2F%2Fshop.example%2Fcheckout%3Fx%3D1%26y&field=%23postcode');
    expect(parseRoute(routeHref(form))).toEqual(form);
    expect(parseRoute('#/forms?form=%23f&field=%23g')).toEqual({ name: 'forms', days: 30 });
    expect(routeHref({ name: 'forms', days: 30, field: '#g' })).toBe('#/forms');
  });

  it('reports anything else as not found', () => {
    expect(parseRoute('#/sessions/a/b')).toEqual({ name: 'not-found', hash: '#/sessions/a/b' });
    expect(parseRoute('#/nope')).toEqual({ name: 'not-found', hash: '#/nope' });
  });

  it('round-trips hrefs', () => {
    const href = routeHref({ name: 'session', id: 'x/y z' });
    expect(href).toBe('#/sessions/x%2Fy%20z');
    expect(parseRoute(href)).toEqual({ name: 'session', id: 'x/y z' });
    expect(routeHref({ name: 'session', id: 'abc', atMs: 1500 })).toBe('#/sessions/abc?t=1500');
    expect(parseRoute(routeHref({ name: 'session', id: 'abc', atMs: 1500 }))).toEqual({ name: 'session', id: 'abc', atMs: 1500 });
    expect(routeHref({ name: 'sites' })).toBe('#/sites');
    expect(routeHref({ name: 'sessions' })).toBe('#/');
    expect(routeHref({ name: 'sessions', filters: NO_FILTERS })).toBe('#/');
    expect(routeHref({ name: 'overview', site: 's1', days: 30 })).toBe('#/overview?site=s1');
    expect(routeHref({ name: 'overview', days: 90 })).toBe('#/overview?days=90');
    const filtered = { name: 'sessions' as const, site: 's 1', filters: { ...NO_FILTERS, friction: ['form_abandonment' as const], url: '/a&b=c' } };
    expect(routeHref(filtered)).toBe('#/?site=s+1&friction=form_abandonment&url=%2Fa%26b%3Dc');
    expect(parseRoute(routeHref(filtered))).toEqual(filtered);
  });
});

describe('tokenFromHash', () => {
  it('extracts the sign-in token', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('#token=a%2Bb')).toBe('a+b');
  });
  it('ignores other hashes', () => {
    expect(tokenFromHash('#/sites')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });
});
