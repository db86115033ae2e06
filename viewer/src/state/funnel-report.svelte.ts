// One funnel's report, and the sessions behind the figure a person opened.
import type { ApiClient, FunnelFigure } from '../lib/api-client';
import type { FunnelReport, FunnelSessionList } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import type { LoadStatus } from './load-status';

export class FunnelReportState {
  readonly #client: ApiClient;
  #funnelId: string | null = null;
  #generation = 0;
  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #report = $state.raw<FunnelReport | null>(null);
  #figure = $state.raw<FunnelFigure | null>(null);
  #sessionsStatus = $state<LoadStatus>('idle');
  #sessionsError = $state<string | null>(null);
  #sessions = $state.raw<FunnelSessionList | null>(null);

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
  get figure() {
    return this.#figure;
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

  async load(funnelId: string): Promise<void> {
    const generation = ++this.#generation;
    this.#funnelId = funnelId;
    this.#status = 'loading';
    this.#figure = null;
    try {
      const report = await this.#client.getFunnelReport(funnelId);
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

  async open(figure: FunnelFigure): Promise<void> {
    if (!this.#funnelId) return;
    this.#figure = figure;
    this.#sessionsStatus = 'loading';
    this.#sessions = null;
    try {
      const sessions = await this.#client.getFunnelSessions(this.#funnelId, figure);
      if (this.#figure !== figure) return;
      this.#sessions = sessions;
      this.#sessionsStatus = 'ready';
    } catch (error) {
      if (this.#figure !== figure) return;
      this.#sessionsError = errorMessage(error);
      this.#sessionsStatus = 'error';
    }
  }

  close(): void {
    this.#figure = null;
  }
}
