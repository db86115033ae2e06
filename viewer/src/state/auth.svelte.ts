// Who is signed in: the admin token, its verification, and the API client that carries it.
import { ApiClient, ApiClientError, type FetchLike } from '../lib/api-client';
import { errorMessage } from '../lib/error-message';
import type { KeyValueStore } from '../lib/storage';

export const TOKEN_STORAGE_KEY = 'frictionlens.adminToken';

export const EXPIRED_NOTICE = 'Your sign-in is no longer valid (the admin token may have changed). Please sign in again.';
export const REJECTED_TOKEN_MESSAGE =
  'That token was not accepted. Copy it again from the line the server printed when it started.';

export interface SignInMessage {
  kind: 'notice' | 'error';
  text: string;
}

export class Auth {
  readonly #store: KeyValueStore;
  readonly #fetch: FetchLike | undefined;
  #token = $state<string | null>(null);
  #verifying = $state(false);
  #message = $state<SignInMessage | null>(null);
  #client = $derived(this.#token === null ? null : this.#clientFor(this.#token));

  constructor(store: KeyValueStore, fetchImpl?: FetchLike) {
    this.#store = store;
    this.#fetch = fetchImpl;
    this.#token = store.getItem(TOKEN_STORAGE_KEY);
  }

  get token() {
    return this.#token;
  }
  get verifying() {
    return this.#verifying;
  }
  get message() {
    return this.#message;
  }
  /** Null while signed out; a 401 through this client signs out. */
  get client() {
    return this.#client;
  }

  /** The client for views that only render while signed in. */
  requireClient(): ApiClient {
    if (!this.#client) throw new Error('No API client: the viewer is signed out.');
    return this.#client;
  }

  /** Checks the token against the API before keeping it; returns whether it was accepted. */
  async signIn(candidate: string): Promise<boolean> {
    const token = candidate.trim();
    if (!token) {
      this.#message = { kind: 'error', text: 'Paste the admin token first.' };
      return false;
    }
    this.#verifying = true;
    this.#message = null;
    try {
      await new ApiClient({ token, fetch: this.#fetch }).listSites();
    } catch (error) {
      const rejected = error instanceof ApiClientError && error.isUnauthorized;
      this.#message = { kind: 'error', text: rejected ? REJECTED_TOKEN_MESSAGE : errorMessage(error) };
      return false;
    } finally {
      this.#verifying = false;
    }
    this.#token = token;
    this.#store.setItem(TOKEN_STORAGE_KEY, token);
    return true;
  }

  signOut(notice?: string): void {
    this.#token = null;
    this.#store.removeItem(TOKEN_STORAGE_KEY);
    this.#message = notice ? { kind: 'notice', text: notice } : null;
  }

  #clientFor(token: string): ApiClient {
    return new ApiClient({
      token,
      fetch: this.#fetch,
      onUnauthorized: () => {
        // A late 401 from a previous token must not sign out the current one.
        if (this.#token === token) this.signOut(EXPIRED_NOTICE);
      },
    });
  }
}
