// Typed context: app-wide services, and what every signed-in view needs.
import { createContext } from 'svelte';
import type { ApiClient } from '../lib/api-client';
import type { KeyValueStore } from '../lib/storage';
import type { Auth } from './auth.svelte';
import type { Router } from './router.svelte';
import type { SitesState } from './sites.svelte';

export interface AppContext {
  auth: Auth;
  router: Router;
  store: KeyValueStore;
  /** This server's origin, used in install snippets. */
  origin: string;
}

export interface SignedInContext {
  client: ApiClient;
  sites: SitesState;
}

export const [getApp, setApp] = createContext<AppContext>();
export const [getSignedIn, setSignedIn] = createContext<SignedInContext>();
