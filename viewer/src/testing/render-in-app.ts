// Test support: mounts one component in jsdom under the app's and the signed-in contexts, on a fake API.
import { flushSync, mount, unmount, type Component } from 'svelte';
import { ApiClient } from '../lib/api-client';
import { memoryStore } from '../lib/storage';
import type { Auth } from '../state/auth.svelte';
import { Router } from '../state/router.svelte';
import { SitesState } from '../state/sites.svelte';
import ContextHarness from './ContextHarness.svelte';
import { fakeFetch, type FakeReply, type RecordedRequest } from './fake-fetch';

export interface RenderedInApp {
  target: HTMLElement;
  requests: RecordedRequest[];
  router: Router;
  sites: SitesState;
  destroy(): void;
}

/** Sets the hash first (the app's address); `api` answers every request, with its URL parsed. */
export function renderInApp<P extends Record<string, unknown>>(
  component: Component<P>,
  props: P,
  api: (request: RecordedRequest, url: URL) => FakeReply | Promise<FakeReply>,
  hash = '#/sites',
): RenderedInApp {
  window.location.hash = hash;
  const fake = fakeFetch((request) => api(request, new URL(request.url, 'http://viewer.test')));
  const client = new ApiClient({ fetch: fake.fetch });
  const store = memoryStore();
  const router = new Router(window, () => {});
  const stop = router.listen();
  const sites = new SitesState(client, store);
  const target = document.createElement('div');
  document.body.append(target);
  const app = { auth: {} as Auth, router, store, origin: 'http://viewer.test' };
  const mounted = mount(ContextHarness<P>, { target, props: { app, signedIn: { client, sites }, component, props } });
  flushSync();
  return {
    target,
    requests: fake.requests,
    router,
    sites,
    destroy() {
      unmount(mounted);
      stop();
      target.remove();
    },
  };
}
