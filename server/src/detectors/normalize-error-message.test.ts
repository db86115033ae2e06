import { describe, expect, it } from 'vitest';
import { normalizeErrorMessage, normalizeRequestUrl } from './normalize-error-message';

describe('normalizeErrorMessage', () => {
  // Inputs from Sentry's published parameterization cases (getsentry/sentry,
  // tests/sentry/grouping/test_parameterization.py); the placeholders are ours.
  it.each([
    ['email', 'blah test@email.com had a problem', 'blah <email> had a problem'],
    ['url', 'blah http://some.email.com had a problem', 'blah <url> had a problem'],
    ['uuid', 'blah 7c1811ed-e98f-4c9c-a9f9-58c757ff494f had a problem', 'blah <uuid> had a problem'],
    ['two uuids', 'blah bea691f2-2e25-4bec-6838-e0c44b03d60a/7c1811ed-e98f-4c9c-a9f9-58c757ff494f had a problem', 'blah <uuid>/<uuid> had a problem'],
    ['sha1', 'blah 5fc35719b9cf96ec602dbc748ff31c587a46961d had a problem', 'blah <hex> had a problem'],
    ['md5', 'blah 0751007cd28df267e8e051b51f918c60 had a problem', 'blah <hex> had a problem'],
    ['hex', 'blah 0x9af8c3b had a problem', 'blah <hex> had a problem'],
    ['float', 'blah 0.23 had a problem', 'blah <num> had a problem'],
    ['int', 'blah 23 had a problem', 'blah <num> had a problem'],
    ['durations', 'connection failed after 1ms 23ms 4567890ms', 'connection failed after <num> <num> <num>'],
    ['quoted value', 'blah b="1" had a problem', 'blah b="<str>" had a problem'],
    ['nothing to replace', 'A quick brown fox jumped over the lazy dog', 'A quick brown fox jumped over the lazy dog'],
    ['digits inside words', 'I am the test words 1password python3 abc123 123abc', 'I am the test words 1password python3 abc123 123abc'],
    ['property name kept', "TypeError: Cannot read property 'startRTM' of undefined", "TypeError: Cannot read property 'startRTM' of undefined"],
    // Listed by Sentry as a case its parameterizer gets wrong ("utf<int>"); we keep it.
    ['not a number', 'Encoding: utf-8', 'Encoding: utf-8'],
  ])('%s (Sentry case)', (_name, input, expected) => {
    expect(normalizeErrorMessage(input)).toBe(expected);
  });

  it('drops the Uncaught prefix Chrome puts on window errors, so a rejection of the same error matches', () => {
    const thrown = normalizeErrorMessage("Uncaught TypeError: Cannot read properties of undefined (reading 'map')");
    expect(thrown).toBe("TypeError: Cannot read properties of undefined (reading 'map')");
    expect(normalizeErrorMessage('Uncaught (in promise) Error: Payment declined')).toBe('Error: Payment declined');
  });

  it('keeps errors about different properties apart', () => {
    expect(normalizeErrorMessage("Cannot read properties of undefined (reading 'map')")).not.toBe(
      normalizeErrorMessage("Cannot read properties of undefined (reading 'length')"),
    );
  });

  it('merges messages that differ only in ids, numbers, quoted values and URLs', () => {
    const same = (a: string, b: string) => expect(normalizeErrorMessage(a)).toBe(normalizeErrorMessage(b));
    same('Order 10423 not found', 'Order 10424 not found');
    same('Cart item row_48213 is stale', 'Cart item row_77120 is stale');
    same('Request timed out after 5000ms', 'Request timed out after 7311ms');
    same('Invalid quantity "11 items"', 'Invalid quantity "12 items"');
    same('Failed to load https://cdn.shop.test/chunk.4f2a9c1.js', 'Failed to load https://cdn.shop.test/chunk.9e81b03.js');
    same(`Unexpected token '<', "<!DOCTYPE "... is not valid JSON`, `Unexpected token '<', "<html lan"... is not valid JSON`);
    same('Session 3f9a2b1c7d expired', 'Session 0a6e44f1b2 expired');
  });

  it('keeps two different errors apart', () => {
    expect(normalizeErrorMessage('Error: Payment declined')).not.toBe(normalizeErrorMessage('Error: Card expired'));
  });

  it('collapses whitespace', () => {
    expect(normalizeErrorMessage('  Error:\n  two   lines ')).toBe('Error: two lines');
  });
});

describe('normalizeRequestUrl', () => {
  it('replaces path segments naming one record with :id', () => {
    expect(normalizeRequestUrl('https://shop.test/api/orders/1042/items/7')).toBe('https://shop.test/api/orders/:id/items/:id');
    expect(normalizeRequestUrl('https://shop.test/api/carts/7c1811ed-e98f-4c9c-a9f9-58c757ff494f')).toBe('https://shop.test/api/carts/:id');
    expect(normalizeRequestUrl('https://shop.test/api/session/5fc35719b9cf')).toBe('https://shop.test/api/session/:id');
  });

  it('leaves named segments, versions and the host alone', () => {
    expect(normalizeRequestUrl('https://api2.shop.test/v2/checkout/promo')).toBe('https://api2.shop.test/v2/checkout/promo');
    expect(normalizeRequestUrl('/api/v1/cart')).toBe('/api/v1/cart');
  });
});
