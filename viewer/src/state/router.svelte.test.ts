import { describe, expect, it } from 'vitest';
import { NO_FILTERS } from '../lib/session-filters';
import { memoryStore } from '../lib/storage';
import { LAST_LIST_STORAGE_KEY, Router, type HashHost } from './router.svelte';

function fakeHost(hash: string) {
  const listeners = new Set<() => void>();
  const replaced: string[] = [];
  const host: HashHost = {
    location: { hash, pathname: '/', search: '?x=1' },
    history: { replaceState: (_data, _unused, url) => void replaced.push(url) },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  const navigate = (next: string) => {
    host.location.hash = next;
    listeners.forEach((listener) => listener());
  };
  return { host, listeners, replaced, navigate };
}

describe('Router', () => {
  it('reads the initial route', () => {
    const router = new Router(fakeHost('#/sessions/abc12345').host, () => {});
    expect(router.route).toEqual({ name: 'session', id: 'abc12345' });
  });

  it('follows hash changes until torn down', () => {
    const { host, listeners, navigate } = fakeHost('#/');
    const router = new Router(host, () => {});
    const stop = router.listen();

    navigate('#/sites');
    expect(router.route).toEqual({ name: 'sites' });

    stop();
    expect(listeners.size).toBe(0);
    navigate('#/sessions/zzz');
    expect(router.route).toEqual({ name: 'sites' });
  });

  it('opens a route by setting the hash, with the route changed before the hashchange arrives', () => {
    const { host, listeners } = fakeHost('#/');
    const router = new Router(host, () => {});
    router.listen();
    router.go('#/?sort=score');
    expect(host.location.hash).toBe('#/?sort=score');
    expect(router.route).toEqual({ name: 'sessions', filters: { ...NO_FILTERS, sort: 'score' } });
    listeners.forEach((listener) => listener());
    expect(router.route).toEqual({ name: 'sessions', filters: { ...NO_FILTERS, sort: 'score' } });
  });

  it('hands over a #token= link and removes it from the address bar', () => {
    const { host, replaced } = fakeHost('#token=s3cret');
    const tokens: string[] = [];

    const router = new Router(host, (token) => tokens.push(token));

    expect(tokens).toEqual(['s3cret']);
    expect(replaced).toEqual(['/?x=1#/']);
    expect(router.route).toEqual({ name: 'sessions', filters: NO_FILTERS });
  });

  it('catches a sign-in link opened while the viewer is running', () => {
    const { host, navigate } = fakeHost('#/sites');
    const tokens: string[] = [];
    const router = new Router(host, (token) => tokens.push(token));
    router.listen();

    navigate('#token=next');

    expect(tokens).toEqual(['next']);
    expect(router.route).toEqual({ name: 'sessions', filters: NO_FILTERS });
  });

  it('knows the way back to the session list: history when the list came just before, else the last list shown', () => {
    const store = memoryStore();
    const { host, navigate } = fakeHost('#/?sort=score&device=mobile');
    const router = new Router(host, () => {}, store);
    router.listen();
    expect(router.cameFromList).toBe(false);

    navigate('#/sessions/abc12345');
    expect(router.cameFromList).toBe(true);
    expect(router.lastListHref).toBe('#/?sort=score&device=mobile');
    expect(store.getItem(LAST_LIST_STORAGE_KEY)).toBe('#/?sort=score&device=mobile');

    // From the overview, or from one replay to another, history would not lead to the list.
    navigate('#/overview');
    navigate('#/sessions/abc12345?t=5000');
    expect(router.cameFromList).toBe(false);
    expect(router.lastListHref).toBe('#/?sort=score&device=mobile');

    // A reload on the replay: the list's address was kept.
    const reloaded = new Router(fakeHost('#/sessions/abc12345').host, () => {}, store);
    expect([reloaded.cameFromList, reloaded.lastListHref]).toEqual([false, '#/?sort=score&device=mobile']);
    expect(new Router(fakeHost('#/sessions/abc12345').host, () => {}).lastListHref).toBe('#/');
  });
});
