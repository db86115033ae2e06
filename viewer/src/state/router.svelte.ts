// Hash router: the current route as reactive state, fed by `hashchange`; also catches `#token=` sign-in links.
import { parseRoute, tokenFromHash } from '../lib/route';

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
  #hash = $state('');
  #route = $derived(parseRoute(this.#hash));

  constructor(host: HashHost, onSignInToken: (token: string) => void) {
    this.#host = host;
    this.#onSignInToken = onSignInToken;
    this.#sync();
  }

  get route() {
    return this.#route;
  }

  /**
   * Opens a route as a new history entry. The route changes at once, not at the hashchange that
   * follows, so a second change made before that event (a field's change, then a click) builds on this one.
   */
  go(href: string): void {
    this.#hash = href;
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
      this.#hash = location.hash;
      return;
    }
    // Keep the admin token out of history, bookmarks and screenshots.
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    this.#hash = '#/';
    this.#onSignInToken(token);
  }
}
