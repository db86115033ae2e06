// Shortens text shown on a page (labels, messages) to a bounded, single-line string.
import { scrubPersonalData } from '../privacy/scrub-personal-data';

export function clipText(text: unknown, maxChars: number): string {
  // Slice first: a megabyte-long log line must not cost a megabyte-long regex pass.
  const line = String(text || '').slice(0, maxChars * 2).replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? line.slice(0, maxChars - 1) + '…' : line;
}

/**
 * clipText for text the page's code wrote (error and console messages): emails and card numbers
 * scrubbed first, over a slice of twice maxChars, so the scrub never runs over a megabyte-long line.
 */
export function clipMessage(text: unknown, maxChars: number): string {
  return clipText(scrubPersonalData(String(text || '').slice(0, maxChars * 2)), maxChars);
}
