// A site's retention setting: keep sessions until deleted, or for a number of whole days; checked here, then saved.
import { MAX_RETENTION_DAYS, type Site } from '../lib/contract';
import { errorMessage } from '../lib/error-message';

export type RetentionMode = 'forever' | 'days';

/** Offered when someone switches to a period without having one: a common choice for visit recordings. */
export const SUGGESTED_RETENTION_DAYS = 90;

export class RetentionForm {
  readonly #save: (retentionDays: number | null) => Promise<Site>;
  #mode = $state<RetentionMode>('forever');
  #daysText = $state('');
  #saving = $state(false);
  #error = $state<string | null>(null);
  #saved = $state(false);

  constructor(initial: number | null, save: (retentionDays: number | null) => Promise<Site>) {
    this.#show(initial);
    this.#save = save;
  }

  get mode() {
    return this.#mode;
  }
  set mode(value: RetentionMode) {
    this.#mode = value;
    if (value === 'days' && this.#daysText.trim() === '') this.#daysText = String(SUGGESTED_RETENTION_DAYS);
    this.#saved = false;
  }
  get daysText() {
    return this.#daysText;
  }
  set daysText(value: string) {
    this.#daysText = value;
    this.#saved = false;
  }
  get saving() {
    return this.#saving;
  }
  get error() {
    return this.#error;
  }
  get saved() {
    return this.#saved;
  }

  async submit(): Promise<boolean> {
    let retentionDays: number | null = null;
    if (this.#mode === 'days') {
      const text = this.#daysText.trim();
      const days = Number(text);
      if (!/^\d+$/.test(text) || days < 1 || days > MAX_RETENTION_DAYS) {
        this.#error = `Enter a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or choose to keep sessions until you delete them.`;
        this.#saved = false;
        return false;
      }
      retentionDays = days;
    }
    this.#saving = true;
    this.#error = null;
    try {
      const site = await this.#save(retentionDays);
      this.#show(site.retentionDays);
      this.#saved = true;
      return true;
    } catch (error) {
      this.#error = errorMessage(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }

  #show(retentionDays: number | null): void {
    this.#mode = retentionDays === null ? 'forever' : 'days';
    this.#daysText = retentionDays === null ? '' : String(retentionDays);
  }
}
