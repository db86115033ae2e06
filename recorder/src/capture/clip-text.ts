// Shortens text shown on a page (labels, messages) to a bounded, single-line string.

export function clipText(text: unknown, maxChars: number): string {
  // Slice first: a megabyte-long log line must not cost a megabyte-long regex pass.
  const line = String(text || '').slice(0, maxChars * 2).replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? line.slice(0, maxChars - 1) + '…' : line;
}
