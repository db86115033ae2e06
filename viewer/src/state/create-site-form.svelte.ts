// The "add a site" form: its fields, light checks before sending, and the server's verdict.
import type { NewSite } from '../lib/api-client';
import type { CreatedSite } from '../lib/contract';
import { errorMessage } from '../lib/error-message';

/** One origin per line (commas also work); blank lines and a trailing slash are forgiven. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim().replace(/\/+$/, ''))
    .filter((line) => line.length > 0);
}

export class CreateSiteForm {
  readonly #create: (site: NewSite) => Promise<CreatedSite>;
  #name = $state('');
  #originsText = $state('');
  #submitting = $state(false);
  #error = $state<string | null>(null);
  #created = $state<string | null>(null);
  #origins = $derived(parseOrigins(this.#originsText));

  constructor(create: (site: NewSite) => Promise<CreatedSite>) {
    this.#create = create;
  }

  get name() {
    return this.#name;
  }
  set name(value: string) {
    this.#name = value;
  }
  get originsText() {
    return this.#originsText;
  }
  set originsText(value: string) {
    this.#originsText = value;
  }
  get origins() {
    return this.#origins;
  }
  get submitting() {
    return this.#submitting;
  }
  get error() {
    return this.#error;
  }
  /** Name of the site just created, for the confirmation line. */
  get created() {
    return this.#created;
  }

  async submit(): Promise<boolean> {
    const name = this.#name.trim();
    this.#created = null;
    if (!name) return this.#fail('Give the site a name, for example "Online shop".');
    if (this.#origins.length === 0) return this.#fail('Add at least one origin, for example https://shop.example');
    this.#submitting = true;
    this.#error = null;
    try {
      await this.#create({ name, origins: this.#origins });
    } catch (error) {
      return this.#fail(errorMessage(error));
    } finally {
      this.#submitting = false;
    }
    this.#created = name;
    this.#name = '';
    this.#originsText = '';
    return true;
  }

  #fail(message: string): false {
    this.#error = message;
    return false;
  }
}
