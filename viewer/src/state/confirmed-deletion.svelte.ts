// A deletion asked for, confirmed, then done: which step it is at, and the server's answer or error.
import { errorMessage } from '../lib/error-message';

export type DeletionStep = 'idle' | 'confirming' | 'deleting' | 'done';

export class ConfirmedDeletion<T> {
  readonly #remove: () => Promise<T>;
  #step = $state<DeletionStep>('idle');
  #error = $state<string | null>(null);
  #result = $state.raw<T | null>(null);

  constructor(remove: () => Promise<T>) {
    this.#remove = remove;
  }

  get step() {
    return this.#step;
  }
  /** The dialog stays open while this is shown, so the person can try again or cancel. */
  get error() {
    return this.#error;
  }
  get result() {
    return this.#result;
  }

  ask(): void {
    if (this.#step === 'deleting') return;
    this.#step = 'confirming';
    this.#error = null;
    this.#result = null;
  }

  cancel(): void {
    if (this.#step === 'deleting') return;
    this.#step = 'idle';
    this.#error = null;
  }

  /** Returns the answer, or null when the deletion failed (the error is then shown in the dialog). */
  async confirm(): Promise<T | null> {
    if (this.#step !== 'confirming') return null;
    this.#step = 'deleting';
    this.#error = null;
    try {
      const result = await this.#remove();
      this.#result = result;
      this.#step = 'done';
      return result;
    } catch (error) {
      this.#error = errorMessage(error);
      this.#step = 'confirming';
      return null;
    }
  }
}
