// The heatmap page picker's list for one site and device class: pages ranked by clicks, with their friction.
import type { ApiClient } from '../lib/api-client';
import type { HeatmapDevice, HeatmapPage } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

export class HeatmapPages {
  readonly #client: ApiClient;
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #pages = $state.raw<HeatmapPage[]>([]);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get pages() {
    return this.#pages;
  }

  async load(site: string, device: HeatmapDevice): Promise<void> {
    const generation = ++this.#generation;
    if (this.#status !== 'ready') this.#status = 'loading';
    this.#error = null;
    try {
      const { pages } = await this.#client.listHeatmapPages(site, device);
      if (generation !== this.#generation) return;
      this.#pages = pages;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }
}
