// Hash router: the current route as reactive state, fed by `hashchange`; also catches `#token=` sign-in links and remembers the way back to the session list.
import { parseRoute, tokenFromHash } from '../lib/route';
import type { KeyValueStore } from '../lib/storage';

/** Where the last session list shown (its site, filters and sort) is kept, for a way back to it after a reload. */
export const LAST_LIST_STORAGE_KEY = 'frictionlens.lastSessionList';

/** The parts of `window` the router touches, so tests can pass a fake. */
export interface HashHost {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

export class Router {
  readonly #host: HashHost;
  readonly #onSignInToken: (token: string) => void;
  readonly #store: KeyValueStore | undefined;
  /** Null until the first address is read. */
  #hash = $state<string | null>(null);
  #route = $derived(parseRoute(this.#hash ?? ''));
  /** The address before the current one in this tab, while the viewer has been open. */
  #previousHash = $state<string | null>(null);
  #lastListHash = $state<string | null>(null);

  constructor(host: HashHost, onSignInToken: (token: string) => void, store?: KeyValueStore) {
    this.#host = host;
    this.#onSignInToken = onSignInToken;
    this.#store = store;
    this.#lastListHash = store?.getItem(LAST_LIST_STORAGE_KEY) ?? null;
    this.#sync();
  }

  get route() {
    return this.#route;
  }

  /** The last session list shown, with its filters: in this tab, else as stored; the plain list when none was. */
  get lastListHref(): string {
    return this.#lastListHash ?? '#/';
  }

  /** The page before this one was the session list: going back in history returns to it as it was, scrolled where it was. */
  get cameFromList(): boolean {
    return this.#previousHash !== null && parseRoute(this.#previousHash).name === 'sessions';
  }

  /**
   * Opens a route as a new history entry. The route changes at once, not at the hashchange that
   * follows, so a second change made before that event (a field's change, then a click) builds on this one.
   */
  go(href: string): void {
    this.#setHash(href);
    this.#host.location.hash = href;
  }

  /** Starts following the address bar; returns the teardown. */
  listen(): () => void {
    const onHashChange = () => this.#sync();
    this.#host.addEventListener('hashchange', onHashChange);
    return () => this.#host.removeEventListener('hashchange', onHashChange);
  }

  #sync(): void {
    const { location, history } = this.#host;
    const token = tokenFromHash(location.hash);
    if (token === null) {
      this.#setHash(location.hash);
      return;
    }
    // Keep the admin token out of history, bookmarks and screenshots.
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    this.#setHash('#/');
    this.#onSignInToken(token);
  }

  #setHash(hash: string): void {
    if (hash === this.#hash) return;
    if (this.#hash !== null) this.#previousHash = this.#hash;
    this.#hash = hash;
    if (parseRoute(hash).name !== 'sessions') return;
    const href = hash.replace(/^#/, '') === '' ? '#/' : `#${hash.replace(/^#/, '')}`;
    this.#lastListHash = href;
    this.#store?.setItem(LAST_LIST_STORAGE_KEY, href);
  }
}
