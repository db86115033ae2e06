// Renders console arguments as one short line: enough to recognise a message, bounded in time and size, without emails or card numbers.
import { clipMessage } from './clip-text';

export const CONSOLE_MAX_CHARS = 500;

export function renderConsoleArgs(args: readonly unknown[], maxChars = CONSOLE_MAX_CHARS): string {
  return clipMessage(args.map(render).join(' '), maxChars);
}

/**
 * Strings as they are, errors as "Name: message", anything else as JSON one level deep: nested
 * objects show as '…', so a large state object costs one level, and cycles cannot occur.
 * Any throw (a hostile getter or toJSON, a BigInt) renders as '?'.
 */
function render(value: any): string {
  try {
    return typeof value == 'string'
      ? value
      : value && value.stack && value.message != null
        ? value.name + ': ' + value.message
        : (JSON.stringify(value, (key, inner) => (key && inner && typeof inner == 'object' ? '…' : inner)) ?? String(value));
  } catch {
    return '?';
  }
}
