// Who is signed in: the cookie session the admin token is traded for once, its check on load, and the API client that rides on it.
import { ApiClient, ApiClientError, type FetchLike } from '../lib/api-client';
import { errorMessage } from '../lib/error-message';
import type { KeyValueStore } from '../lib/storage';

/** Where older viewers kept the admin token; removed on load, since the cookie session replaced it. */
export const LEGACY_TOKEN_STORAGE_KEY = 'frictionlens.adminToken';

export const EXPIRED_NOTICE = 'Your sign-in has ended (it went unused for a long time, someone signed out, or the admin token changed). Please sign in again.';
export const REJECTED_TOKEN_MESSAGE =
  'That token was not accepted. Copy it again from the line the server printed when it started.';

export interface SignInMessage {
  kind: 'notice' | 'error';
  text: string;
}

/** 'checking' while the viewer asks the server whether its cookie still signs it in. */
export type AuthStatus = 'checking' | 'signed-out' | 'signed-in';

export class Auth {
  /** For the sign-in calls themselves: their 401 means "not signed in", not "signed out". */
  readonly #plain: ApiClient;
  readonly #fetch: FetchLike | undefined;
  #status = $state<AuthStatus>('checking');
  #verifying = $state(false);
  #message = $state<SignInMessage | null>(null);
  /** One per sign-in: a new sign-in gets a new client, and so fresh state in every view. */
  #generation = $state(0);
  /** The latest check or sign-in; an answer to an earlier one arrives too late to count. */
  #attempt = 0;
  #client = $derived(this.#status === 'signed-in' ? this.#clientFor(this.#generation) : null);

  constructor(store: KeyValueStore, fetchImpl?: FetchLike) {
    this.#fetch = fetchImpl;
    this.#plain = new ApiClient({ fetch: fetchImpl });
    store.removeItem(LEGACY_TOKEN_STORAGE_KEY);
  }

  get status() {
    return this.#status;
  }
  get verifying() {
    return this.#verifying;
  }
  get message() {
    return this.#message;
  }
  /** Null unless signed in; a 401 through this client returns to sign-in with a notice. */
  get client() {
    return this.#client;
  }

  /** The client for views that only render while signed in. */
  requireClient(): ApiClient {
    if (!this.#client) throw new Error('No API client: the viewer is signed out.');
    return this.#client;
  }

  /** Asks the server whether the browser's cookie still signs it in (the cookie itself is out of the page's reach). */
  async restore(): Promise<void> {
    const attempt = ++this.#attempt;
    this.#status = 'checking';
    try {
      await this.#plain.getAuthSession();
      if (attempt === this.#attempt) this.#signedIn();
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.#status = 'signed-out';
      if (!(error instanceof ApiClientError && error.isUnauthorized)) this.#message = { kind: 'error', text: errorMessage(error) };
    }
  }

  /** Trades the token for a session cookie; returns whether the server accepted it. The token is kept nowhere. */
  async signIn(candidate: string): Promise<boolean> {
    const token = candidate.trim();
    if (!token) {
      this.#message = { kind: 'error', text: 'Paste the admin token first.' };
      return false;
    }
    const attempt = ++this.#attempt;
    this.#verifying = true;
    this.#message = null;
    if (this.#status === 'checking') this.#status = 'signed-out';
    try {
      await this.#plain.startAuthSession(token);
    } catch (error) {
      if (attempt === this.#attempt) {
        const rejected = error instanceof ApiClientError && error.isUnauthorized;
        this.#message = { kind: 'error', text: rejected ? REJECTED_TOKEN_MESSAGE : errorMessage(error) };
      }
      return false;
    } finally {
      if (attempt === this.#attempt) this.#verifying = false;
    }
    if (attempt !== this.#attempt) return false;
    this.#signedIn();
    return true;
  }

  /** Ends the session on the server too; the viewer shows sign-in whether or not the server could be told. */
  async signOut(): Promise<void> {
    ++this.#attempt;
    this.#status = 'signed-out';
    this.#message = null;
    try {
      await this.#plain.endAuthSession();
    } catch (error) {
      this.#message = {
        kind: 'error',
        text: `Signed out in this tab, but the server could not be told, so the session may still work in this browser. ${errorMessage(error)}`,
      };
    }
  }

  #signedIn(): void {
    this.#generation++;
    this.#status = 'signed-in';
    this.#message = null;
  }

  #clientFor(generation: number): ApiClient {
    return new ApiClient({
      fetch: this.#fetch,
      onUnauthorized: () => {
        // A late 401 from before the latest sign-in must not sign out the current one.
        if (this.#generation !== generation || this.#status !== 'signed-in') return;
        ++this.#attempt;
        this.#status = 'signed-out';
        this.#message = { kind: 'notice', text: EXPIRED_NOTICE };
      },
    });
  }
}
