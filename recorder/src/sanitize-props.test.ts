import { describe, expect, it } from 'vitest';
import { PROP_MAX_CHARS, PROP_MAX_KEYS, sanitizeProps } from './sanitize-props';

describe('sanitizeProps', () => {
  it('keeps flat strings, finite numbers, booleans and null', () => {
    expect(sanitizeProps({ plan: 'pro', seats: 3, trial: false, coupon: null })).toEqual({ plan: 'pro', seats: 3, trial: false, coupon: null });
  });

  it('drops nested objects, arrays, functions, undefined and non-finite numbers', () => {
    const props = sanitizeProps({ a: { deep: 1 }, b: [1, 2], c: () => 1, d: undefined, e: NaN, f: Infinity, g: 1n, ok: 1 });
    expect(props).toEqual({ ok: 1 });
  });

  it('truncates long keys and values, and keeps at most PROP_MAX_KEYS keys', () => {
    const long = 'x'.repeat(PROP_MAX_CHARS + 10);
    expect(sanitizeProps({ [long]: long })).toEqual({ ['x'.repeat(PROP_MAX_CHARS)]: 'x'.repeat(PROP_MAX_CHARS) });
    const many = Object.fromEntries(Array.from({ length: PROP_MAX_KEYS + 5 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(sanitizeProps(many))).toHaveLength(PROP_MAX_KEYS);
  });

  it('reads anything that is not a plain object as no props', () => {
    for (const value of [undefined, null, 'str', 42, [1, 2]]) expect(sanitizeProps(value)).toEqual({});
  });
});
