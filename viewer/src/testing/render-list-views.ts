// Test support: mounts the session list and overview in jsdom on a fake API, with the real router on jsdom's location.
import { flushSync, mount, unmount } from 'svelte';
import { ApiClient } from '../lib/api-client';
import { memoryStore } from '../lib/storage';
import type { Auth } from '../state/auth.svelte';
import { Router } from '../state/router.svelte';
import { SitesState } from '../state/sites.svelte';
import { fakeFetch, type FakeReply, type RecordedRequest } from './fake-fetch';
import ListViewsHarness from './ListViewsHarness.svelte';

export const TEST_SITE = { id: 's1', name: 'Shop', origins: ['https://shop.example'], key: 'pk_1', createdAt: 0, urlPatterns: [] };

export interface RenderedViews {
  target: HTMLElement;
  requests: RecordedRequest[];
  router: Router;
  /** Requests to a path (query ignored), as URLSearchParams, in order. */
  queries(path: string): URLSearchParams[];
  destroy(): void;
}

/**
 * Sets the hash first (the app's address), then mounts. The site list, and the site's goals and funnels
 * (none unless `goals` are given: the overview's impact ranking asks), are answered here; `api` answers the rest.
 */
export function renderListViews(
  hash: string,
  api: (request: RecordedRequest, url: URL) => FakeReply | Promise<FakeReply>,
  { goals = [] }: { goals?: unknown[] } = {},
): RenderedViews {
  window.location.hash = hash;
  const fake = fakeFetch((request) => {
    const url = new URL(request.url, 'http://viewer.test');
    if (url.pathname === '/api/sites') return { json: { sites: [TEST_SITE] } };
    if (url.pathname === `/api/sites/${TEST_SITE.id}/goals`) return { json: { goals } };
    if (url.pathname === `/api/sites/${TEST_SITE.id}/funnels`) return { json: { funnels: [] } };
    return api(request, url);
  });
  const client = new ApiClient({ fetch: fake.fetch });
  const store = memoryStore();
  const router = new Router(window, () => {});
  const stop = router.listen();
  const sites = new SitesState(client, store);
  void sites.load();
  const target = document.createElement('div');
  document.body.append(target);
  const app = { auth: {} as Auth, router, store, origin: 'http://viewer.test' };
  const component = mount(ListViewsHarness, { target, props: { app, signedIn: { client, sites } } });
  flushSync();
  return {
    target,
    requests: fake.requests,
    router,
    queries: (path) =>
      fake.requests.map((r) => new URL(r.url, 'http://viewer.test')).filter((u) => u.pathname === path).map((u) => u.searchParams),
    destroy() {
      unmount(component);
      stop();
      target.remove();
    },
  };
}
