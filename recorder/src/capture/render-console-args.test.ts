import { describe, expect, it } from 'vitest';
import { renderConsoleArgs } from './render-console-args';

describe('renderConsoleArgs', () => {
  it('joins strings as they are and other values as JSON', () => {
    expect(renderConsoleArgs(['Checkout failed:', 404, null, undefined, true, { code: 'E1', retry: false }])).toBe(
      'Checkout failed: 404 null undefined true {"code":"E1","retry":false}',
    );
  });

  it('renders errors, also from other frames, by name and message', () => {
    const foreign = { name: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at pay' };
    expect(renderConsoleArgs([new RangeError('too far'), foreign])).toBe('RangeError: too far TypeError: x is undefined');
  });

  it('shows one level of objects and arrays, so cycles and deep state cost nothing', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(renderConsoleArgs([{ a: { b: 1 }, list: [1, 2] }, [1, [2]], circular])).toBe('{"a":"…","list":"…"} [1,"…"] {"name":"loop","self":"…"}');
  });

  it('scrubs email addresses and card numbers the page logged', () => {
    expect(renderConsoleArgs(['payment failed', { email: 'jane@shop.test', pan: '4242424242424242' }])).toBe(
      'payment failed {"email":"[email]","pan":"[card]"}',
    );
  });

  it('truncates to the limit and collapses whitespace', () => {
    expect(renderConsoleArgs(['a\n  b', 'x'.repeat(50)], 20)).toBe('a b xxxxxxxxxxxxxxx…');
  });

  it('survives values whose serialization throws', () => {
    const hostile = {
      get boom() {
        throw new Error('getter');
      },
    };
    expect(renderConsoleArgs([hostile, 10n, Symbol('s'), 'after'])).toBe('? ? Symbol(s) after');
  });
});
