import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, tokenFromHash } from './route';

describe('parseRoute', () => {
  it.each(['', '#', '#/'])('%j is the sessions page', (hash) => {
    expect(parseRoute(hash)).toEqual({ name: 'sessions' });
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
