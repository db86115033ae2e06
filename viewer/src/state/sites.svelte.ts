// The site list, which site is selected (remembered across visits), and site creation.
import type { ApiClient, NewSite } from '../lib/api-client';
import type { CreatedSite, Site } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { KeyValueStore } from '../lib/storage';
import type { LoadStatus } from './load-status';

export const SELECTED_SITE_STORAGE_KEY = 'frictionlens.siteId';

export class SitesState {
  readonly #client: ApiClient;
  readonly #store: KeyValueStore;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #sites = $state.raw<Site[]>([]);
  #selectedId = $state<string | null>(null);
  /** Falls back to the first site when nothing (or a since-deleted site) was remembered. */
  #selected = $derived(this.#sites.find((site) => site.id === this.#selectedId) ?? this.#sites[0] ?? null);

  constructor(client: ApiClient, store: KeyValueStore) {
    this.#client = client;
    this.#store = store;
    this.#selectedId = store.getItem(SELECTED_SITE_STORAGE_KEY);
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get sites() {
    return this.#sites;
  }
  get selected() {
    return this.#selected;
  }

  /** Loads the list; a reload keeps showing the current list instead of a spinner. */
  async load(): Promise<void> {
    if (this.#status !== 'ready') this.#status = 'loading';
    this.#error = null;
    try {
      const { sites } = await this.#client.listSites();
      this.#sites = sites;
      this.#status = 'ready';
    } catch (error) {
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  select(siteId: string): void {
    this.#selectedId = siteId;
    this.#store.setItem(SELECTED_SITE_STORAGE_KEY, siteId);
  }

  /** Creates the site and refreshes the list; server validation errors propagate as ApiClientError. */
  async create(site: NewSite): Promise<CreatedSite> {
    const created = await this.#client.createSite(site);
    await this.load();
    return created;
  }
}
