// Test double for localStorage: items are own properties, so Object.keys() lists them as it does for the real one.

export class FakeLocalStorage {
  [key: string]: unknown;

  /** Throws QuotaExceededError once the stored characters would pass maxChars. */
  constructor(maxChars = Infinity) {
    Object.defineProperty(this, 'maxChars', { value: maxChars, enumerable: false });
  }

  getItem(key: string): string | null {
    return Object.hasOwn(this, key) ? (this[key] as string) : null;
  }

  setItem(key: string, value: string): void {
    const others = Object.keys(this).reduce((sum, k) => sum + (k === key ? 0 : k.length + (this[k] as string).length), 0);
    if (others + key.length + value.length > (this.maxChars as number)) throw new DOMException('full', 'QuotaExceededError');
    this[key] = String(value);
  }

  removeItem(key: string): void {
    delete this[key];
  }
}
