// One goal's impact ranking, and the replays behind the opportunity a person opened.
import type { ApiClient, ImpactQuery, OpportunityRef } from '../lib/api-client';
import type { ImpactReport, ImpactSessionList } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

export class ImpactReportState {
  readonly #client: ApiClient;
  #query: ImpactQuery | null = null;
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #report = $state.raw<ImpactReport | null>(null);
  #opened = $state.raw<OpportunityRef | null>(null);
  #sessionsStatus = $state<LoadStatus>('idle');
  #sessionsError = $state<string | null>(null);
  #sessions = $state.raw<ImpactSessionList | null>(null);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get report() {
    return this.#report;
  }
  get opened() {
    return this.#opened;
  }
  get sessionsStatus() {
    return this.#sessionsStatus;
  }
  get sessionsError() {
    return this.#sessionsError;
  }
  get sessions() {
    return this.#sessions;
  }

  /** `quiet` keeps the current report on screen while refreshing (during a goal's recomputation). */
  async load(query: ImpactQuery, quiet = false): Promise<void> {
    const generation = ++this.#generation;
    this.#query = query;
    if (!quiet) {
      this.#status = 'loading';
      this.#opened = null;
    }
    try {
      const report = await this.#client.getImpact(query);
      if (generation !== this.#generation) return;
      this.#report = report;
      this.#error = null;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  /** Opens (or, when it is open, closes) the replays of an opportunity. */
  async toggle(opportunity: OpportunityRef): Promise<void> {
    const same = this.#opened && sameOpportunity(this.#opened, opportunity);
    this.#opened = same ? null : opportunity;
    if (same || !this.#query) return;
    const generation = this.#generation;
    this.#sessionsStatus = 'loading';
    this.#sessions = null;
    try {
      const sessions = await this.#client.getImpactSessions(this.#query, opportunity);
      if (generation !== this.#generation || this.#opened !== opportunity) return;
      this.#sessions = sessions;
      this.#sessionsStatus = 'ready';
    } catch (error) {
      if (this.#opened !== opportunity) return;
      this.#sessionsError = errorMessage(error);
      this.#sessionsStatus = 'error';
    }
  }
}

export function sameOpportunity(a: OpportunityRef, b: OpportunityRef): boolean {
  return a.type === b.type && a.page === b.page && a.target === b.target && a.field === b.field;
}
