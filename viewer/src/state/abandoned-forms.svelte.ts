// A site's forms ranked by abandonment, and the chosen form's field drop-off and abandoning sessions, a page at a time.
import type { ApiClient, FormRef } from '../lib/api-client';
import type { FormAbandonment, FormDropOff, FormList } from '../lib/contract';
import { errorMessage } from '../lib/error-message';
import { overviewRange, type OverviewDays } from '../lib/overview-range';
import type { LoadStatus } from './load-status';

/** Sessions asked for at a time: enough to pick from, small enough to arrive at once. */
export const FORM_SESSIONS_PAGE = 25;

interface FormQuery {
  site: string;
  days: OverviewDays;
  form: FormRef;
  field: string | null;
  range: { from: number; to: number };
}

export class AbandonedForms {
  readonly #client: ApiClient;
  /** Bumped on each load of the ranking, and of a form, so answers to an earlier question are dropped. */
  #listGeneration = 0;
  #formGeneration = 0;
  #listArgs: { site: string; days: OverviewDays } | null = null;
  #formQuery: FormQuery | null = null;

  #status = $state<LoadStatus>('idle');
  #error = $state<string | null>(null);
  #list = $state.raw<FormList | null>(null);

  #dropOffStatus = $state<LoadStatus>('idle');
  #dropOffError = $state<string | null>(null);
  #dropOff = $state.raw<FormDropOff | null>(null);

  #sessionsStatus = $state<LoadStatus>('idle');
  #sessionsError = $state<string | null>(null);
  #sessions = $state.raw<FormAbandonment[]>([]);
  #total = $state(0);
  #nextCursor = $state<string | null>(null);
  #moreStatus = $state<LoadStatus>('idle');
  #moreError = $state<string | null>(null);

  constructor(client: ApiClient) {
    this.#client = client;
  }

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  get list() {
    return this.#list;
  }
  get dropOffStatus() {
    return this.#dropOffStatus;
  }
  get dropOffError() {
    return this.#dropOffError;
  }
  get dropOff() {
    return this.#dropOff;
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
  /** Abandoning sessions in all (of the field, when one is chosen). */
  get total() {
    return this.#total;
  }
  get hasMore() {
    return this.#nextCursor !== null;
  }
  get moreStatus() {
    return this.#moreStatus;
  }
  get moreError() {
    return this.#moreError;
  }

  /** The site's forms over the last `days` days. */
  async load(site: string, days: OverviewDays, now: number = Date.now()): Promise<void> {
    const generation = ++this.#listGeneration;
    this.#listArgs = { site, days };
    this.#status = 'loading';
    try {
      const list = await this.#client.listForms(site, overviewRange(days, now));
      if (generation !== this.#listGeneration) return;
      this.#list = list;
      this.#error = null;
      this.#status = 'ready';
    } catch (error) {
      if (generation !== this.#listGeneration) return;
      this.#error = errorMessage(error);
      this.#status = 'error';
    }
  }

  reload(): Promise<void> {
    return this.#listArgs ? this.load(this.#listArgs.site, this.#listArgs.days) : Promise.resolve();
  }

  /**
   * One form's drop-off and the first page of its abandoning sessions (those that gave up at `field`,
   * when given), side by side. Another field of the form shown only lists other sessions: its drop-off
   * stays, and the sessions cover the same range as its figures.
   */
  async loadForm(site: string, days: OverviewDays, form: FormRef, field: string | null, now: number = Date.now()): Promise<void> {
    const generation = ++this.#formGeneration;
    const shown = this.#formQuery;
    const sameForm = shown !== null && this.#dropOffStatus === 'ready' && shown.site === site && shown.days === days && shown.form.form === form.form && shown.form.url === form.url;
    const query = { site, days, form, field, range: sameForm ? shown.range : overviewRange(days, now) };
    this.#formQuery = query;
    this.#sessionsStatus = 'loading';
    this.#sessions = [];
    this.#nextCursor = null;
    this.#moreStatus = 'idle';
    if (sameForm) return this.#loadSessions(query, generation);
    this.#dropOffStatus = 'loading';
    await Promise.all([this.#loadDropOff(query, generation), this.#loadSessions(query, generation)]);
  }

  /** Asks again for what failed of the chosen form. */
  retryForm(): Promise<void> {
    const query = this.#formQuery;
    if (!query) return Promise.resolve();
    const generation = this.#formGeneration;
    const retries: Array<Promise<void>> = [];
    if (this.#dropOffStatus === 'error') {
      this.#dropOffStatus = 'loading';
      retries.push(this.#loadDropOff(query, generation));
    }
    if (this.#sessionsStatus === 'error') {
      this.#sessionsStatus = 'loading';
      retries.push(this.#loadSessions(query, generation));
    }
    return Promise.all(retries).then(() => {});
  }

  /** The next page of abandoning sessions, added below the ones shown. */
  async loadMore(): Promise<void> {
    const query = this.#formQuery;
    const before = this.#nextCursor;
    if (!query || !before || this.#moreStatus === 'loading') return;
    const generation = this.#formGeneration;
    this.#moreStatus = 'loading';
    try {
      const page = await this.#client.listFormSessions(query.site, query.form, { field: query.field, before, limit: FORM_SESSIONS_PAGE, ...query.range });
      if (generation !== this.#formGeneration) return;
      this.#sessions = [...this.#sessions, ...page.sessions];
      this.#nextCursor = page.nextCursor;
      this.#moreError = null;
      this.#moreStatus = 'ready';
    } catch (error) {
      if (generation !== this.#formGeneration) return;
      this.#moreError = errorMessage(error);
      this.#moreStatus = 'error';
    }
  }

  async #loadDropOff({ site, form, range }: FormQuery, generation: number): Promise<void> {
    try {
      const dropOff = await this.#client.getFormDropOff(site, form, range);
      if (generation !== this.#formGeneration) return;
      this.#dropOff = dropOff;
      this.#dropOffError = null;
      this.#dropOffStatus = 'ready';
    } catch (error) {
      if (generation !== this.#formGeneration) return;
      this.#dropOffError = errorMessage(error);
      this.#dropOffStatus = 'error';
    }
  }

  async #loadSessions({ site, form, field, range }: FormQuery, generation: number): Promise<void> {
    try {
      const page = await this.#client.listFormSessions(site, form, { field, limit: FORM_SESSIONS_PAGE, ...range });
      if (generation !== this.#formGeneration) return;
      this.#sessions = page.sessions;
      this.#total = page.total;
      this.#nextCursor = page.nextCursor;
      this.#sessionsError = null;
      this.#sessionsStatus = 'ready';
    } catch (error) {
      if (generation !== this.#formGeneration) return;
      this.#sessionsError = errorMessage(error);
      this.#sessionsStatus = 'error';
    }
  }
}
