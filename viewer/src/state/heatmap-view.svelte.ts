// One page's heatmap at a device class: the aggregated clicks, elements and scroll depths, the snapshot to draw over, and the sessions behind a chosen element.
import { ApiClientError, type ApiClient, type HeatmapQuery } from '../lib/api-client';
import type { HeatmapData, HeatmapElementList, HeatmapElementSession, HeatmapScroll, HeatmapSnapshot } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

/** 'missing': no recorded load of the page at this device class to draw over (the server's 404). */
export type SnapshotStatus = LoadStatus | 'missing';

export class HeatmapView {
  readonly #client: ApiClient;
  #query: HeatmapQuery | null = null;
  #generation = 0;
  /** The snapshot outlives a change of kind, so it has its own generation. */
  #snapshotGeneration = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #data = $state.raw<HeatmapData | null>(null);
  #elements = $state.raw<HeatmapElementList | null>(null);
  #scroll = $state.raw<HeatmapScroll | null>(null);
  #snapshotStatus = $state<SnapshotStatus>('idle');
  #snapshot = $state.raw<HeatmapSnapshot | null>(null);
  #selected = $state<string | null>(null);
  #sessionsStatus = $state<LoadStatus>('idle');
  #sessions = $state.raw<HeatmapElementSession[]>([]);
  #isEmpty = $derived(this.#status === 'ready' && (this.#data?.total ?? 0) === 0);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get data() {
    return this.#data;
  }
  get elements() {
    return this.#elements;
  }
  get scroll() {
    return this.#scroll;
  }
  get snapshotStatus() {
    return this.#snapshotStatus;
  }
  get snapshot() {
    return this.#snapshot;
  }
  get isEmpty() {
    return this.#isEmpty;
  }
  /** Selector of the element chosen in the table, outlined on the page. */
  get selected() {
    return this.#selected;
  }
  get sessionsStatus() {
    return this.#sessionsStatus;
  }
  get sessions() {
    return this.#sessions;
  }

  /** The snapshot is fetched again only when the page or the device changes, not the kind. */
  async load(query: HeatmapQuery): Promise<void> {
    const previous = this.#query;
    this.#query = query;
    const generation = ++this.#generation;
    const samePage = previous?.site === query.site && previous.url === query.url && previous.device === query.device;
    this.#status = 'loading';
    this.#error = null;
    this.#select(null);
    if (!samePage) void this.#loadSnapshot(query);
    try {
      const [data, elements, scroll] = await Promise.all([
        this.#client.getHeatmap(query),
        this.#client.getHeatmapElements(query),
        this.#client.getHeatmapScroll(query),
      ]);
      if (generation !== this.#generation) return;
      this.#data = data;
      this.#elements = elements;
      this.#scroll = scroll;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  /** Outlines the element and lists the sessions that clicked it; null clears the choice. */
  async select(selector: string | null): Promise<void> {
    this.#select(selector);
    const query = this.#query;
    if (selector === null || !query) return;
    const generation = this.#generation;
    this.#sessionsStatus = 'loading';
    try {
      const { sessions } = await this.#client.getHeatmapElementSessions(query, selector);
      if (generation !== this.#generation || this.#selected !== selector) return;
      this.#sessions = sessions;
      this.#sessionsStatus = 'ready';
    } catch {
      if (generation !== this.#generation || this.#selected !== selector) return;
      this.#sessionsStatus = 'error';
    }
  }

  #select(selector: string | null): void {
    this.#selected = selector;
    this.#sessions = [];
    this.#sessionsStatus = 'idle';
  }

  async #loadSnapshot(query: HeatmapQuery): Promise<void> {
    const generation = ++this.#snapshotGeneration;
    this.#snapshotStatus = 'loading';
    this.#snapshot = null;
    try {
      const snapshot = await this.#client.getHeatmapSnapshot(query);
      if (generation !== this.#snapshotGeneration) return;
      this.#snapshot = snapshot;
      this.#snapshotStatus = 'ready';
    } catch (error) {
      if (generation !== this.#snapshotGeneration) return;
      this.#snapshotStatus = error instanceof ApiClientError && error.status === 404 ? 'missing' : 'error';
    }
  }
}
