// A site's friction overview for a range: totals, the time series, and the pages and elements with most friction.
import type { ApiClient } from '../lib/api-client';
import { FRICTION_TYPES, type FrictionSummary, type FrictionTimeseries } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import { overviewRange, type OverviewDays } from '../lib/overview-range';
import type { LoadStatus } from './load-status';

export class FrictionOverview {
  readonly #client: ApiClient;
  #siteId: string | null = null;
  #days: OverviewDays = 30;
  /** Bumped on every load so answers for a previous site or range are dropped. */
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #summary = $state.raw<FrictionSummary | null>(null);
  #series = $state.raw<FrictionTimeseries | null>(null);
  #total = $derived(this.#summary ? FRICTION_TYPES.reduce((sum, type) => sum + this.#summary!.byType[type].count, 0) : 0);
  #isEmpty = $derived(this.#status === 'ready' && this.#total === 0);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get summary() {
    return this.#summary;
  }
  get series() {
    return this.#series;
  }
  /** Flags of every type in the range. */
  get total() {
    return this.#total;
  }
  get isEmpty() {
    return this.#isEmpty;
  }

  async load(siteId: string, days: OverviewDays, now: number = Date.now()): Promise<void> {
    this.#siteId = siteId;
    this.#days = days;
    const generation = ++this.#generation;
    this.#status = 'loading';
    this.#error = null;
    const { from, to } = overviewRange(days, now);
    try {
      // Both answers describe the same range, so they are shown together or not at all.
      const [summary, series] = await Promise.all([
        this.#client.getFrictionSummary(siteId, from, to),
        this.#client.getFrictionTimeseries(siteId, from, to),
      ]);
      if (generation !== this.#generation) return;
      this.#summary = summary;
      this.#series = series;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  reload(): Promise<void> {
    return this.#siteId === null ? Promise.resolve() : this.load(this.#siteId, this.#days);
  }
}
