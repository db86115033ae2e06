// Reduces an error message or a request URL to its shape, so values that change per occurrence do not split one loop into many.

/**
 * Rules, applied in this order (each placeholder is left alone by the rules after it):
 * 1. "Uncaught " and "Uncaught (in promise) " prefixes go: Chrome adds them to window.onerror
 *    messages but not to the same error reported as an unhandled rejection.
 * 2. URLs (scheme://…) become <url>; emails <email>; UUIDs <uuid>.
 * 3. Hex values: 0x… and runs of 7+ hex digits holding a digit and a letter (hashes, object ids) become <hex>.
 * 4. Quoted text ('…', "…", `…`) becomes '<str>' unless it is an identifier or a dotted path:
 *    "Cannot read properties of undefined (reading 'map')" and (reading 'length') are different
 *    bugs, as in Sentry's parameterizer, which leaves 'startRTM' in such a message alone.
 * 5. Numbers standing alone (with a ms, s or px unit) become <num>, and so does any run of 4+
 *    digits (ids, counters, timestamps: the recorder's bound for generated ids); digits that are
 *    part of a word ("python3", "abc123", "utf-8") stay.
 * 6. Whitespace collapses.
 */
export function normalizeErrorMessage(message: string): string {
  return message
    .replace(/^\s*Uncaught (?:\(in promise\) )?/, '')
    .replace(URL_PATTERN, '<url>')
    .replace(/[\w.%+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}/gi, '<email>')
    .replace(/\b[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}\b/gi, '<uuid>')
    .replace(/\b0x[\da-f]+\b|\b(?=[\da-f]*\d)(?=[\da-f]*[a-f])[\da-f]{7,}\b/gi, '<hex>')
    .replace(/(['"`])([^'"`]*)\1/g, (quoted, quote: string, inner: string) => (IDENTIFIER.test(inner) ? quoted : quote + '<str>' + quote))
    .replace(/(?<![\w$.]|[a-z_$]-)\d+(?:\.\d+)?(?:ms|s|px)?(?![\w$])|\d{4,}/gi, '<num>')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A failed request's URL with the path segments that name one record (numbers, UUIDs, hex ids,
 * anything with 4+ digits in a row) as ':id', so retries on /api/orders/1042 and /api/orders/1043 match.
 * The recorder already dropped the query string and fragment.
 */
export function normalizeRequestUrl(url: string): string {
  const [, origin = '', path = url] = /^([a-z][a-z\d+.-]*:\/\/[^/]*)?(.*)$/i.exec(url) ?? [];
  return origin + path.split('/').map((part) => (ID_SEGMENT.test(part) ? ':id' : part)).join('/');
}

const URL_PATTERN = /\b[a-z][a-z\d+.-]*:\/\/[^\s'"`)<>]+/gi;
const IDENTIFIER = /^[a-z_$][\w$]*(?:\.[a-z_$][\w$]*)*$/i;
const ID_SEGMENT = /^(?:\d+|[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|(?=[\da-f]*\d)(?=[\da-f]*[a-f])[\da-f]{7,}|.*\d{4,}.*)$/i;
