// A site's heatmap URL patterns form: one pattern per line, saved with the server's verdict.
import type { Site } from '../lib/contract';
import { errorMessage } from '../lib/error-message';

export function parsePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export class UrlPatternsForm {
  readonly #save: (patterns: string[]) => Promise<Site>;
  #text = $state('');
  #saving = $state(false);
  #error = $state<string | null>(null);
  #saved = $state(false);

  constructor(initial: readonly string[], save: (patterns: string[]) => Promise<Site>) {
    this.#text = initial.join('\n');
    this.#save = save;
  }

  get text() {
    return this.#text;
  }
  set text(value: string) {
    this.#text = value;
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

  async submit(): Promise<void> {
    this.#saving = true;
    this.#error = null;
    try {
      const site = await this.#save(parsePatterns(this.#text));
      this.#text = site.urlPatterns.join('\n');
      this.#saved = true;
    } catch (error) {
      this.#error = errorMessage(error);
    } finally {
      this.#saving = false;
    }
  }
}
