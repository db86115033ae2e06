// Turns whatever a site passes to identify() or track() into a small flat record that fits the wire format.

/** Strings (keys, values, ids, event names) are cut to this many characters. */
export const PROP_MAX_CHARS = 256;
/** Keys beyond this many are dropped. */
export const PROP_MAX_KEYS = 50;

export type FlatProps = Record<string, string | number | boolean | null>;

/**
 * Only strings, finite numbers, booleans and null survive: nested objects, arrays, functions and
 * undefined are dropped rather than serialized, so a careless call cannot ship a whole state tree.
 */
export function sanitizeProps(value: unknown): FlatProps {
  const props: FlatProps = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return props;
  for (const [key, item] of Object.entries(value).slice(0, PROP_MAX_KEYS)) {
    const kind = typeof item;
    if (kind === 'string' || kind === 'boolean' || item === null || (kind === 'number' && isFinite(item)))
      props[key.slice(0, PROP_MAX_CHARS)] = kind === 'string' ? item.slice(0, PROP_MAX_CHARS) : item;
  }
  return props;
}
